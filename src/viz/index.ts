/**
 * pixelrl's viewers: episode animations and terminal playback (`pixelrl play`), reward curves
 * (`pixelrl plot`), and embedding maps and value plots (`pixelrl tsne`). Plain typed arrays and
 * records in, files or text out; nothing here knows about agents or tfjs.
 */
export type { PanelData, PanelOptions } from './action-panel.js';
export {
  type AnimationFrame,
  type AnimationOptions,
  type AnimationResult,
  type FrameSource,
  formatFromPath,
  writeAnimation,
} from './animation.js';
export { hex, viridis } from './colormap.js';
export { bandAcrossRuns, rollingMean } from './curves.js';
export { type EmbedOptions, embed } from './embedding.js';
export { type EmbeddingRecord, embeddingCsv, embeddingJson, writeEmbedding } from './embedding-io.js';
export { type AnimationFormat, findOnPath } from './frame-sinks.js';
export {
  type EpisodeRecord,
  type EvalRecord,
  type MetricRecord,
  parseConfig,
  parseMetrics,
  type RunConfig,
  type RunMetrics,
  readRun,
  type TrainRecord,
} from './metrics.js';
export { type EpisodeSummary, playInTerminal, playToFile, type TerminalPlayOptions } from './play.js';
export {
  animationFrames,
  type Decision,
  type PlaybackOptions,
  type PlaybackStep,
  type Policy,
  playEpisodes,
  randomPolicy,
  referencePolicy,
} from './playback.js';
export { framePng } from './raster.js';
export { type EmbeddingReportOptions, plotRuns, writeEmbeddingReport } from './reports.js';
export { type RewardPlotOptions, rewardPlotSpec, writeRewardPlot } from './reward-plot.js';
export { type Scene, type Shape, sceneToPng, sceneToSvg, writeScene } from './scene.js';
export { type StateOrigin, StateRecorder, type StateRecorderOptions } from './state-recorder.js';
export { FONT_STACK, fontWarning, installedSansFamily, type PngResult, svgToPng } from './svg-png.js';
export {
  type AnsiOptions,
  fitFrame,
  formatStatus,
  frameToAnsi,
  type StatusInfo,
  TerminalPlayer,
  type TerminalPlayerOptions,
} from './terminal.js';
export { chooseByValue, type FrameLookup } from './thumbnails.js';
export { type EmbeddingFigure, embeddingScene, writeEmbeddingPlot } from './tsne-plot.js';
export {
  findExtremes,
  type ValueEpisodeFigure,
  valueEpisodeScene,
  writeValueEpisodePlot,
} from './value-plot.js';
export { type PlotFiles, specToSvg, writeSpec } from './vega-render.js';
