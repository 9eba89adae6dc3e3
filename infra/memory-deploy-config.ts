import { cliFix, fail, jsonObject, wholeNumber } from './config-readers';

/** The functions that render images, whose memory (and so CPU) is a deploy setting. */
export const RENDERING_FUNCTION_NAMES = ['upload', 'checkUpload', 'render'] as const;
export type RenderingFunctionName = (typeof RENDERING_FUNCTION_NAMES)[number];

/** Memory of each rendering function, in MB (Lambda gives one vCPU per 1,769 MB). */
export type FunctionMemoryConfig = Readonly<Record<RenderingFunctionName, number>>;

/**
 * Chosen by measurement (docs/benchmarks.md, "Lambda memory"): at 1,769 MB a function has one
 * whole vCPU, so a 12 MP render finishes 1.7× sooner than at 1,024 MB for the same cost per
 * render (CPU-bound work bills the same GB-seconds at any share up to one vCPU). Beyond one
 * vCPU only a grid HEIC's tile workers use the second one, and the JPEG path pays for it.
 */
export const FUNCTION_MEMORY_DEFAULTS: FunctionMemoryConfig = {
  upload: 1769,
  checkUpload: 1769,
  render: 1769,
};

const FIX = `${cliFix('functionMemory', '{"upload":1769,"checkUpload":1769,"render":1769}')}: MB per function, 128 to 10240`;

/** Reads `functionMemory`: an object of the rendering functions' memory in MB; absent ones keep the default. */
export function readFunctionMemory(value: unknown): FunctionMemoryConfig {
  const fields = jsonObject(value ?? {}, 'functionMemory', FIX);
  for (const field of Object.keys(fields)) {
    if (!(RENDERING_FUNCTION_NAMES as readonly string[]).includes(field))
      fail('functionMemory', `an object with only ${RENDERING_FUNCTION_NAMES.join(', ')}`, field, FIX);
  }
  return Object.fromEntries(
    RENDERING_FUNCTION_NAMES.map((name) => [
      name,
      wholeNumber(fields[name] ?? FUNCTION_MEMORY_DEFAULTS[name], `functionMemory.${name}`, 128, 10_240, FIX),
    ]),
  ) as FunctionMemoryConfig;
}
