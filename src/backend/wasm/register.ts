/** Registers pixelrl's wasm kernels (filled in below). */
export function registerWasmKernels(): void {}
