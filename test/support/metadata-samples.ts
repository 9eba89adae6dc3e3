/** What a phone writes that a served image must not carry: camera EXIF, a GPS position, an XMP packet. */
export const CAMERA = { Make: 'Apple', Model: 'iPhone 15 Pro' };
export const GPS = {
  GPSLatitudeRef: 'N',
  GPSLatitude: '48/1 51/1 2400/100',
  GPSLongitudeRef: 'E',
  GPSLongitude: '2/1 17/1 4000/100',
};
export const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>';
