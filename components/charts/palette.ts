// Okabe–Ito: distinguishable for colour-blind readers (UI.md). A key keeps
// its colour across the charts of a page because colours are assigned by
// the key's position in a list the page passes to every chart.
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export function colourFor(index: number): string {
  return OKABE_ITO[index % OKABE_ITO.length];
}
