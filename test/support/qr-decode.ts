/** Reads a QR code back from a PNG (jsQR + pngjs), to prove a rendered code carries exactly its text. */
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

// jsqr is a UMD bundle: Node's ESM loader hands over module.exports, bundlers the default export.
const jsQR = ((jsQRModule as unknown as { default?: JsQr }).default ?? jsQRModule) as unknown as JsQr;

/** The text of the QR code in `png`, or undefined when none is found. */
export function decodeQrPng(png: Buffer): { text: string | undefined; width: number; height: number } {
  const image = PNG.sync.read(png);
  const found = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  return { text: found?.data, width: image.width, height: image.height };
}
