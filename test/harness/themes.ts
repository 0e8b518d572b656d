// VS Code theme variables for the screenshot harnesses (designer, training panel, diagram):
// the values of the Light Modern, Dark Modern, Dark High Contrast and Light High Contrast
// themes, as VS Code injects them into a webview (`--vscode-*` on :root), and the body class
// that tells the toolkit which kind of theme it is.
// Source: VS Code 1.100.3 (what code-server 4.100.3 ships): a theme's own colour in
// extensions/theme-defaults/themes/{light_modern,dark_modern,hc_black,hc_light}.json (and the
// files they include), else the colour registry's default for that kind of theme
// (src/vs/platform/theme/common/colors/*.ts and the workbench's registrations, references
// resolved: e.g. hcDark charts.red = editorError.foreground). `null`: VS Code leaves it unset.
export interface HarnessTheme {
  name: 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';
  /** Class of <body> (VS Code gives a light high-contrast theme both of its classes) and its data-vscode-theme-kind. */
  bodyClass: string;
  kind: string;
  /** CSS custom properties by full name (`--vscode-foreground`). */
  vars: Record<string, string>;
}

const font = {
  'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px', 'font-weight': 'normal', 'editor-font-family': '"Droid Sans Mono", "monospace", monospace', 'editor-font-size': '14px',
};

const DARK_VARS: Record<string, string | null> = {
  ...font,
  'foreground': '#cccccc', 'descriptionForeground': '#9d9d9d', 'errorForeground': '#f85149', 'focusBorder': '#0078d4',
  'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', 'sideBar-background': '#181818', 'sideBarTitle-foreground': '#cccccc',
  'panel-background': '#181818', 'panel-border': '#2b2b2b', 'widget-border': '#313131', 'editorWidget-background': '#202020',
  'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': '#ffffff12',
  'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
  'checkbox-background': '#313131', 'checkbox-border': '#3c3c3c', 'checkbox-foreground': '#cccccc',
  'dropdown-background': '#313131', 'dropdown-border': '#3c3c3c', 'dropdown-foreground': '#cccccc', 'settings-dropdownListBorder': '#454545',
  'input-background': '#313131', 'input-border': '#3c3c3c', 'input-foreground': '#cccccc', 'input-placeholderForeground': '#989898',
  'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'progressBar-background': '#0078d4',
  'list-hoverBackground': '#2a2d2e', 'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff',
  'panelTitle-activeBorder': '#0078d4', 'panelTitle-activeForeground': '#cccccc', 'panelTitle-inactiveForeground': '#9d9d9d',
  'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc', 'toolbar-hoverBackground': '#5a5d5e50',
  'statusBar-background': '#181818', 'statusBar-foreground': '#cccccc',
  'editorError-foreground': '#f14c4c', 'editorWarning-foreground': '#cca700', 'editorIndentGuide-background': '#e3e4e229',
  'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100',
  'inputValidation-warningBackground': '#352a05', 'inputValidation-warningBorder': '#b89500',
  'inputValidation-infoBackground': '#063b49', 'inputValidation-infoBorder': '#007acc',
  'scrollbarSlider-background': '#79797966', 'scrollbarSlider-hoverBackground': '#646464b3', 'scrollbarSlider-activeBackground': '#bfbfbf66',
  'charts-foreground': '#cccccc', 'charts-blue': '#3794ff', 'charts-orange': '#d18616', 'charts-green': '#89d185',
  'charts-purple': '#b180d7', 'charts-yellow': '#cca700', 'charts-red': '#f14c4c', 'charts-lines': '#cccccc80',
  'disabledForeground': '#cccccc80', 'editorWidget-border': '#454545', 'dropdown-listBackground': '#1f1f1f',
  'editor-selectionBackground': '#264f78', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c',
  // Contributed by the built-in git extension (extensions/git/package.json), not by the theme.
  'gitDecoration-addedResourceForeground': '#81b88b',
};

const LIGHT_VARS: Record<string, string | null> = {
  ...font,
  'foreground': '#3b3b3b', 'descriptionForeground': '#3b3b3b', 'errorForeground': '#f85149', 'focusBorder': '#005fb8',
  'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', 'sideBar-background': '#f8f8f8', 'sideBarTitle-foreground': '#3b3b3b',
  'panel-background': '#f8f8f8', 'panel-border': '#e5e5e5', 'widget-border': '#e5e5e5', 'editorWidget-background': '#f8f8f8',
  'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': '#0000001a',
  'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
  'checkbox-background': '#f8f8f8', 'checkbox-border': '#cecece', 'checkbox-foreground': '#3b3b3b',
  'dropdown-background': '#ffffff', 'dropdown-border': '#cecece', 'dropdown-foreground': '#3b3b3b', 'settings-dropdownListBorder': '#c8c8c8',
  'input-background': '#ffffff', 'input-border': '#cecece', 'input-foreground': '#3b3b3b', 'input-placeholderForeground': '#767676',
  'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'progressBar-background': '#005fb8',
  'list-hoverBackground': '#f2f2f2', 'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000',
  'panelTitle-activeBorder': '#005fb8', 'panelTitle-activeForeground': '#3b3b3b', 'panelTitle-inactiveForeground': '#3b3b3b',
  'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8', 'toolbar-hoverBackground': '#b8b8b850',
  'statusBar-background': '#f8f8f8', 'statusBar-foreground': '#3b3b3b',
  'editorError-foreground': '#e51400', 'editorWarning-foreground': '#bf8803', 'editorIndentGuide-background': '#33333333',
  'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100',
  'inputValidation-warningBackground': '#f6f5d2', 'inputValidation-warningBorder': '#b89500',
  'inputValidation-infoBackground': '#d6ecf2', 'inputValidation-infoBorder': '#007acc',
  'scrollbarSlider-background': '#64646466', 'scrollbarSlider-hoverBackground': '#646464b3', 'scrollbarSlider-activeBackground': '#00000099',
  'charts-foreground': '#3b3b3b', 'charts-blue': '#1a85ff', 'charts-orange': '#d18616', 'charts-green': '#388a34',
  'charts-purple': '#652d90', 'charts-yellow': '#bf8803', 'charts-red': '#e51400', 'charts-lines': '#3b3b3b80',
  'disabledForeground': '#61616180', 'editorWidget-border': '#c8c8c8', 'dropdown-listBackground': '#ffffff',
  'editor-selectionBackground': '#add6ff', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c',
  'gitDecoration-addedResourceForeground': '#587c0c',
};

/**
 * What the registry gives both high-contrast themes alike, from their border (contrastBorder),
 * focus, background and foreground: every border and the progress bar in the border colour,
 * fields and validation messages on the background, text in the foreground (muted: at 70 %).
 */
const highContrast = (c: { border: string; focus: string; background: string; foreground: string }): Record<string, string | null> => ({
  'contrastBorder': c.border, 'contrastActiveBorder': c.focus, 'focusBorder': c.focus,
  'panel-border': c.border, 'widget-border': c.border, 'editorWidget-border': c.border, 'button-border': c.border, 'input-border': c.border,
  'dropdown-border': c.border, 'checkbox-border': c.border, 'settings-dropdownListBorder': c.border, 'progressBar-background': c.border,
  'inputValidation-errorBorder': c.border, 'inputValidation-warningBorder': c.border, 'inputValidation-infoBorder': c.border,
  'scrollbarSlider-activeBackground': c.border, 'scrollbarSlider-hoverBackground': `${c.border}cc`,
  'editor-background': c.background, 'sideBar-background': c.background, 'panel-background': c.background, 'input-background': c.background,
  'dropdown-background': c.background, 'dropdown-listBackground': c.background, 'checkbox-background': c.background,
  'inputValidation-errorBackground': c.background, 'inputValidation-warningBackground': c.background, 'inputValidation-infoBackground': c.background,
  'foreground': c.foreground, 'editor-foreground': c.foreground, 'input-foreground': c.foreground, 'dropdown-foreground': c.foreground,
  'checkbox-foreground': c.foreground, 'statusBar-foreground': c.foreground, 'panelTitle-activeForeground': c.foreground, 'panelTitle-inactiveForeground': c.foreground,
  'charts-foreground': c.foreground, 'charts-lines': `${c.foreground}80`, 'descriptionForeground': `${c.foreground}b3`, 'input-placeholderForeground': `${c.foreground}b3`,
  'statusBar-background': null, 'toolbar-hoverBackground': null, 'button-secondaryHoverBackground': null, 'list-activeSelectionForeground': null,
});

const HIGH_CONTRAST_VARS: Record<string, string | null> = {
  ...DARK_VARS,
  ...highContrast({ border: '#6fc3df', focus: '#f38518', background: '#000000', foreground: '#ffffff' }),
  'errorForeground': '#f48771', 'sideBarTitle-foreground': '#ffffff', 'editorWidget-background': '#0c141f',
  'gitDecoration-addedResourceForeground': '#a1e3ad',
  // Buttons have no fill in Dark High Contrast: a border on black.
  'button-background': null, 'button-hoverBackground': null, 'button-secondaryBackground': null, 'button-secondaryForeground': '#ffffff',
  'badge-background': '#000000', 'badge-foreground': '#ffffff',
  'list-hoverBackground': '#ffffff1a', 'list-activeSelectionBackground': null, 'panelTitle-activeBorder': '#6fc3df',
  'textLink-foreground': '#21a6ff', 'textLink-activeForeground': '#21a6ff',
  'editorError-foreground': '#f48771', 'editorWarning-foreground': '#ffd370', 'editorIndentGuide-background': '#7c7c7c',
  'scrollbarSlider-background': '#6fc3df99', 'disabledForeground': '#a5a5a5',
  // Selected text is black on white (hc_black.json's editor.selectionBackground, the registry's hcDark selection foreground).
  'editor-selectionBackground': '#ffffff', 'editor-selectionForeground': '#000000',
  'charts-blue': '#3794ff', 'charts-orange': '#ab5a00', 'charts-green': '#89d185', 'charts-purple': '#b180d7', 'charts-yellow': '#ffd370', 'charts-red': '#f48771',
};

// Light High Contrast: dark blue borders and buttons on white, text near black.
const HIGH_CONTRAST_LIGHT_VARS: Record<string, string | null> = {
  ...LIGHT_VARS,
  ...highContrast({ border: '#0f4a85', focus: '#006bbd', background: '#ffffff', foreground: '#292929' }),
  'errorForeground': '#b5200d', 'sideBarTitle-foreground': null, 'editorWidget-background': '#ffffff',
  'button-background': '#0f4a85', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0f4a85', 'button-secondaryBackground': '#ffffff', 'button-secondaryForeground': '#292929',
  'badge-background': '#0f4a85', 'badge-foreground': '#ffffff',
  'list-hoverBackground': '#0f4a851a', 'list-activeSelectionBackground': '#0f4a851a', 'panelTitle-activeBorder': '#b5200d',
  'textLink-foreground': '#0f4a85', 'textLink-activeForeground': '#0f4a85',
  'editorError-foreground': '#b5200d', 'editorWarning-foreground': '#895503', 'editorIndentGuide-background': '#cccccc',
  'scrollbarSlider-background': '#0f4a8566', 'disabledForeground': '#7f7f7f', 'testing-iconPassed': '#007100', 'testing-iconFailed': '#b5200d',
  'gitDecoration-addedResourceForeground': '#374e06',
  // Selected text is white on dark blue (the registry's hcLight editor.selectionBackground and selectionForeground).
  'editor-selectionBackground': '#0f4a85', 'editor-selectionForeground': '#ffffff',
  'charts-blue': '#1a85ff', 'charts-orange': '#0f4a85', 'charts-green': '#374e06', 'charts-purple': '#652d90', 'charts-yellow': '#895503', 'charts-red': '#b5200d',
};

const theme = (name: HarnessTheme['name'], vars: Record<string, string | null>): HarnessTheme => ({
  name, bodyClass: name === 'high-contrast-light' ? 'vscode-high-contrast-light vscode-high-contrast' : `vscode-${name}`, kind: `vscode-${name}`,
  vars: Object.fromEntries(Object.entries(vars).flatMap(([k, v]) => (v === null ? [] : [[`--vscode-${k}`, v]]))),
});

export const LIGHT = theme('light', LIGHT_VARS);
export const DARK = theme('dark', DARK_VARS);
export const HIGH_CONTRAST = theme('high-contrast', HIGH_CONTRAST_VARS);
export const HIGH_CONTRAST_LIGHT = theme('high-contrast-light', HIGH_CONTRAST_LIGHT_VARS);

/** The four kinds of theme each page's accessibility audit runs in, named as VS Code names them. */
export const AUDITED_THEMES = [['Light Modern', LIGHT], ['Dark Modern', DARK], ['high contrast', HIGH_CONTRAST], ['high contrast light', HIGH_CONTRAST_LIGHT]] as const;

/** The theme's variables as a :root rule, for a <style> in the page. */
export function themeCss(t: HarnessTheme): string {
  return `:root {\n${Object.entries(t.vars).map(([k, v]) => `  ${k}: ${v};`).join('\n')}\n}`;
}
