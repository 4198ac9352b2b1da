/**
 * @nnkit/nn-functions — placeholder.
 *
 * MLX's 27 activation functions arrive with their own issue. Until then this package only
 * re-exports nothing; it exists so the workspace layout and dependency direction are final.
 */
export const ACTIVATIONS: readonly string[] = [];
