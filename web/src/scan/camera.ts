// Reads QR codes from the phone's camera: the browser's own BarcodeDetector where it has one,
// else the same API from npm's barcode-detector (ZXing compiled to WebAssembly), whose .wasm
// file is part of this build and served by the gateway, never fetched from a CDN.

import { BarcodeDetector as Ponyfill, prepareZXingModule, setZXingModuleOverrides } from "barcode-detector/ponyfill";
import readerWasm from "zxing-wasm/reader/zxing_reader.wasm?url";

setZXingModuleOverrides({
  locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? readerWasm : prefix + path),
});

function nativeDetector() {
  return (globalThis as { BarcodeDetector?: { new (o: object): Detector; getSupportedFormats(): Promise<string[]> } })
    .BarcodeDetector;
}

/**
 * Loads the decoder while there is a network: a conductor who opens a trip at the depot and
 * scans on the road must not need one to read codes.
 */
export async function preloadDecoder(): Promise<void> {
  const native = nativeDetector();
  if (native && (await native.getSupportedFormats()).includes("qr_code")) return;
  await prepareZXingModule({ fireImmediately: true });
}

interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}

async function detector(): Promise<Detector> {
  const native = nativeDetector();
  if (native && (await native.getSupportedFormats()).includes("qr_code")) {
    return new native({ formats: ["qr_code"] });
  }
  return new Ponyfill({ formats: ["qr_code"] });
}

export interface CameraScan {
  stop(): void;
}

/**
 * Shows the back camera in `video` and calls `onCode` with each code read (the same code again
 * only after two seconds, so one ticket held up is one scan).
 */
export async function startCamera(video: HTMLVideoElement, onCode: (text: string) => void): Promise<CameraScan> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 } },
    audio: false,
  });
  video.srcObject = stream;
  video.setAttribute("playsinline", "true");
  await video.play();
  const reader = await detector();
  let stopped = false;
  let last = "";
  let lastAt = 0;
  const tick = async () => {
    if (stopped) return;
    try {
      if (video.readyState >= 2) {
        for (const code of await reader.detect(video)) {
          const now = Date.now();
          if (code.rawValue && (code.rawValue !== last || now - lastAt > 2000)) {
            last = code.rawValue;
            lastAt = now;
            onCode(code.rawValue);
          }
        }
      }
    } catch {
      // a frame that could not be read: the next one
    }
    setTimeout(tick, 150);
  };
  tick();
  return {
    stop() {
      stopped = true;
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    },
  };
}
