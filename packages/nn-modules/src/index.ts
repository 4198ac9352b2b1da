/**
 * @nnkit/nn-modules — placeholder.
 *
 * MLX-style Module classes for the activations arrive with their own issue.
 */
export const MODULES: readonly string[] = [];
