// The shared harness themes (test/harness/themes.ts), for the training panel and diagram screenshots.
export { DARK, LIGHT, type HarnessTheme } from '../../../harness/themes';
