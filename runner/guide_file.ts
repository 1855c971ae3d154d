/** Where a lab's guide lives, beside its file: vae-mnist -> labs/vae_mnist.md (relative to the project root). */
export const guideFile = (labId: string): string => `labs/${labId.replaceAll("-", "_")}.md`;
