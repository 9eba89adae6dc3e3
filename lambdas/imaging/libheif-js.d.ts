/**
 * The part of libheif-js's WebAssembly build (`libheif-js/wasm-bundle`, the module embedded in
 * one file) this project calls: libheif's own C API, exported as `_heif_*` functions over the
 * module's linear memory. libheif-js ships typings for the whole module (libheif.d.ts) but not
 * for this entry point. A function returning `struct heif_error` takes a pointer to 12 bytes
 * for it as its first argument (the WebAssembly C ABI).
 */
declare module 'libheif-js/wasm-bundle.js' {
  export interface LibheifModule {
    readonly ready?: Promise<unknown>;
    readonly HEAPU8: Uint8Array;
    readonly HEAP32: Int32Array;
    readonly HEAPU32: Uint32Array;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    _heif_context_alloc(): number;
    _heif_context_free(context: number): void;
    _heif_context_read_from_memory_without_copy(
      error: number,
      context: number,
      data: number,
      size: number,
      options: number,
    ): void;
    _heif_context_get_primary_image_handle(error: number, context: number, outHandle: number): void;
    _heif_image_handle_release(handle: number): void;
    _heif_image_handle_get_width(handle: number): number;
    _heif_image_handle_get_height(handle: number): number;
    _heif_image_handle_get_item_id(handle: number): number;
    _heif_image_handle_get_image_tiling(
      error: number,
      handle: number,
      processTransforms: number,
      out: number,
    ): void;
    _heif_image_handle_decode_image_tile(
      error: number,
      handle: number,
      outImage: number,
      colorspace: number,
      chroma: number,
      options: number,
      tileX: number,
      tileY: number,
    ): void;
    _heif_decode_image(
      error: number,
      handle: number,
      outImage: number,
      colorspace: number,
      chroma: number,
      options: number,
    ): void;
    _heif_decoding_options_alloc(): number;
    _heif_decoding_options_free(options: number): void;
    _heif_image_release(image: number): void;
    _heif_image_get_width(image: number, channel: number): number;
    _heif_image_get_height(image: number, channel: number): number;
    _heif_image_get_plane_readonly2(image: number, channel: number, outStride: number): number;
    _heif_item_get_transformation_properties(
      context: number,
      itemId: number,
      outIds: number,
      count: number,
    ): number;
    _heif_item_get_property_type(context: number, itemId: number, propertyId: number): number;
    _heif_item_get_property_transform_rotation_ccw(
      context: number,
      itemId: number,
      propertyId: number,
    ): number;
    _heif_item_get_property_transform_mirror(context: number, itemId: number, propertyId: number): number;
  }
  const libheif: LibheifModule;
  export default libheif;
}
