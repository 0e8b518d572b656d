// VS Code theme variables as a webview receives them (Light Modern and Dark Modern defaults),
// for the screenshot harness. The body class tells the toolkit which kind of theme it is.
export interface HarnessTheme { name: string; bodyClass: string; kind: string; vars: Record<string, string> }

const font = '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif';
const common = {
  '--vscode-font-family': font, '--vscode-font-size': '13px', '--vscode-font-weight': 'normal',
  '--vscode-editor-font-family': '"Droid Sans Mono", "monospace", monospace', '--vscode-editor-font-size': '14px',
};

export const DARK: HarnessTheme = {
  name: 'dark', bodyClass: 'vscode-dark', kind: 'vscode-dark',
  vars: {
    ...common,
    '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-disabledForeground': '#cccccc80',
    '--vscode-editor-background': '#1f1f1f', '--vscode-editor-foreground': '#cccccc', '--vscode-panel-border': '#2b2b2b',
    '--vscode-editorWidget-border': '#454545', '--vscode-editorWidget-background': '#202020', '--vscode-focusBorder': '#0078d4',
    '--vscode-charts-foreground': '#cccccc', '--vscode-charts-lines': '#cccccc80', '--vscode-charts-blue': '#3794ff',
    '--vscode-charts-red': '#f14c4c', '--vscode-charts-green': '#89d185', '--vscode-charts-yellow': '#cca700',
    '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7',
    '--vscode-progressBar-background': '#0078d4', '--vscode-testing-iconPassed': '#73c991', '--vscode-testing-iconFailed': '#f14c4c',
    '--vscode-errorForeground': '#f85149', '--vscode-editorWarning-foreground': '#cca700',
    '--vscode-button-background': '#0078d4', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#026ec1',
    '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-button-secondaryHoverBackground': '#3c3c3c', '--vscode-button-border': '#ffffff12',
    '--vscode-badge-background': '#616161', '--vscode-badge-foreground': '#f8f8f8',
    '--vscode-textLink-foreground': '#4daafc', '--vscode-textLink-activeForeground': '#4daafc',
    '--vscode-dropdown-background': '#313131', '--vscode-dropdown-border': '#3c3c3c', '--vscode-dropdown-foreground': '#cccccc',
    '--vscode-dropdown-listBackground': '#1f1f1f', '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc',
    '--vscode-input-border': '#3c3c3c', '--vscode-inputValidation-errorBackground': '#5a1d1d', '--vscode-inputValidation-errorBorder': '#be1100',
    '--vscode-editor-selectionBackground': '#264f78', '--vscode-list-hoverBackground': '#2a2d2e',
    '--vscode-list-activeSelectionBackground': '#04395e', '--vscode-list-activeSelectionForeground': '#ffffff',
    '--vscode-scrollbarSlider-background': '#79797966', '--vscode-settings-dropdownListBorder': '#454545',
    '--vscode-checkbox-background': '#313131', '--vscode-checkbox-border': '#3c3c3c', '--vscode-checkbox-foreground': '#cccccc',
    '--vscode-panelTitle-activeForeground': '#cccccc', '--vscode-panelTitle-inactiveForeground': '#9d9d9d',
    '--vscode-panelTitle-activeBorder': '#0078d4', '--vscode-panel-background': '#181818',
  },
};

export const LIGHT: HarnessTheme = {
  name: 'light', bodyClass: 'vscode-light', kind: 'vscode-light',
  vars: {
    ...common,
    '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#717171', '--vscode-disabledForeground': '#61616180',
    '--vscode-editor-background': '#ffffff', '--vscode-editor-foreground': '#3b3b3b', '--vscode-panel-border': '#e5e5e5',
    '--vscode-editorWidget-border': '#c8c8c8', '--vscode-editorWidget-background': '#f8f8f8', '--vscode-focusBorder': '#005fb8',
    '--vscode-charts-foreground': '#616161', '--vscode-charts-lines': '#61616180', '--vscode-charts-blue': '#1a85ff',
    '--vscode-charts-red': '#e51400', '--vscode-charts-green': '#388a34', '--vscode-charts-yellow': '#bf8803',
    '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#652d90',
    '--vscode-progressBar-background': '#005fb8', '--vscode-testing-iconPassed': '#388a34', '--vscode-testing-iconFailed': '#f14c4c',
    '--vscode-errorForeground': '#f85149', '--vscode-editorWarning-foreground': '#bf8803',
    '--vscode-button-background': '#005fb8', '--vscode-button-foreground': '#ffffff', '--vscode-button-hoverBackground': '#0258a8',
    '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-button-secondaryHoverBackground': '#cccccc', '--vscode-button-border': '#0000001a',
    '--vscode-badge-background': '#cccccc', '--vscode-badge-foreground': '#3b3b3b',
    '--vscode-textLink-foreground': '#005fb8', '--vscode-textLink-activeForeground': '#005fb8',
    '--vscode-dropdown-background': '#ffffff', '--vscode-dropdown-border': '#cecece', '--vscode-dropdown-foreground': '#3b3b3b',
    '--vscode-dropdown-listBackground': '#ffffff', '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b',
    '--vscode-input-border': '#cecece', '--vscode-inputValidation-errorBackground': '#f2dede', '--vscode-inputValidation-errorBorder': '#be1100',
    '--vscode-editor-selectionBackground': '#add6ff', '--vscode-list-hoverBackground': '#f2f2f2',
    '--vscode-list-activeSelectionBackground': '#e8e8e8', '--vscode-list-activeSelectionForeground': '#000000',
    '--vscode-scrollbarSlider-background': '#64646466', '--vscode-settings-dropdownListBorder': '#cecece',
    '--vscode-checkbox-background': '#f8f8f8', '--vscode-checkbox-border': '#cecece', '--vscode-checkbox-foreground': '#3b3b3b',
    '--vscode-panelTitle-activeForeground': '#3b3b3b', '--vscode-panelTitle-inactiveForeground': '#3b3b3b',
    '--vscode-panelTitle-activeBorder': '#005fb8', '--vscode-panel-background': '#f8f8f8',
  },
};
