/**
 * A centred line at the foot of every page of a buffered pdfkit document (page numbers), shared by the
 * annual report and the penalty documents. Loaded only with those renderers.
 */
type Doc = PDFKit.PDFDocument;

export interface FooterStyle {
  readonly size: number;
  readonly color: string;
  /** The line's top, from the page height and its bottom margin. */
  readonly top: (pageHeight: number, bottomMargin: number) => number;
}

export function drawPageFooters(doc: Doc, text: (page: number, count: number) => string, style: FooterStyle): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would otherwise make pdfkit open a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(style.size).fillColor(style.color);
    doc.text(text(i + 1, count), doc.page.margins.left, style.top(doc.page.height, bottom), {
      width: doc.page.width - doc.page.margins.left - doc.page.margins.right,
      align: 'center',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}
