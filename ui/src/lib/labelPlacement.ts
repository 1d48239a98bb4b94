/**
 * Which map labels to show so that none piles onto another: a greedy pass in priority order over
 * screen boxes. A label that would overlap a label already shown, or a marker or cluster other
 * than its own, is left out (its marker keeps it for hover). A uniform grid keeps each check to
 * the few boxes nearby, so a pass over hundreds of markers stays well under a millisecond.
 */

/** A screen rectangle, px: left, top, right, bottom. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function overlaps(a: Box, b: Box): boolean {
  // Touching edges are not an overlap: a label sits right under its own marker's disc.
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** Screen space being filled with boxes; each box is filed in every grid cell it touches. */
export class LabelSpace {
  private readonly cells = new Map<number, Box[]>();

  /** `cellPx`: about the size of a label, so a box touches few cells and a cell holds few boxes. */
  constructor(private readonly cellPx = 64) {}

  /** Takes the room of something that labels must not cover (a marker's disc, a cluster). */
  block(box: Box): void {
    this.file(box);
  }

  /** Takes the room for a label unless something already there overlaps it; says whether it did. */
  tryTake(box: Box): boolean {
    let free = true;
    this.forCells(box, (key) => {
      const here = this.cells.get(key);
      if (here && here.some((b) => overlaps(b, box))) free = false;
      return free;
    });
    if (free) this.file(box);
    return free;
  }

  private file(box: Box): void {
    this.forCells(box, (key) => {
      const here = this.cells.get(key);
      if (here) here.push(box);
      else this.cells.set(key, [box]);
      return true;
    });
  }

  /** Calls `visit` with each cell the box touches until it returns false. */
  private forCells(box: Box, visit: (key: number) => boolean): void {
    const c = this.cellPx;
    const cx1 = Math.floor(box.x1 / c);
    const cy1 = Math.floor(box.y1 / c);
    for (let cx = Math.floor(box.x0 / c); cx <= cx1; cx++) {
      for (let cy = Math.floor(box.y0 / c); cy <= cy1; cy++) {
        // Map pixels at zoom 19 stay under 2^27, so cell numbers fit well apart in one number.
        if (!visit(cx * 4_194_304 + cy)) return;
      }
    }
  }
}

/**
 * The width of a marker label, px (11 px bold text plus its padding), from its characters alone:
 * measuring the DOM would force a layout on every refresh. Errs a little wide, so an estimate
 * never lets two labels touch.
 */
export function labelWidthPx(text: string): number {
  let w = 14;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    // CJK and other wide characters (plates like 粤B…) take about a full em.
    w += code >= 0x2e80 ? 11.5 : 7;
  }
  return Math.ceil(w);
}
