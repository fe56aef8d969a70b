import { generate, correction } from "lean-qr";
import { useEffect, useRef } from "preact/hooks";

/** A ticket's signed code as a QR on screen, crisp at any size (one canvas pixel per module). */
export function TicketQr({ text, label }: { text: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (canvas.current) generate(text, { minCorrectionLevel: correction.M }).toCanvas(canvas.current, { padX: 4, padY: 4 });
  }, [text]);
  return <canvas ref={canvas} class="qr" role="img" aria-label={label} />;
}
