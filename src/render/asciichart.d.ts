declare module 'asciichart' {
  export interface PlotConfig {
    offset?: number;
    padding?: string;
    height?: number;
    min?: number;
    max?: number;
    colors?: string[];
    symbols?: string[];
    format?: (x: number, i: number) => string;
  }
  export function plot(series: number[] | number[][], cfg?: PlotConfig): string;
  export const red: string;
  export const green: string;
  export const yellow: string;
  export const blue: string;
  export const magenta: string;
  export const cyan: string;
  export const reset: string;
  const asciichart: { plot: typeof plot; red: string; green: string; yellow: string; blue: string; magenta: string; cyan: string; reset: string };
  export default asciichart;
}
