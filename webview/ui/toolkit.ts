// The one module that imports the component toolkit (@vscode/webview-ui-toolkit, deprecated
// upstream), and only to define its web components: a bundle of its own, toolkit.js
// (esbuild.mjs), that index.tsx loads once the page is idle. The components follow VS
// Code's theme variables.
import {
  provideVSCodeDesignSystem, vsCodeBadge, vsCodeButton, vsCodeCheckbox, vsCodeDivider, vsCodeDropdown,
  vsCodeOption, vsCodePanels, vsCodePanelTab, vsCodePanelView, vsCodeProgressRing, vsCodeTextField, vsCodeTextArea, vsCodeLink,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(
  vsCodeBadge(), vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(),
  vsCodePanels(), vsCodePanelTab(), vsCodePanelView(), vsCodeProgressRing(), vsCodeTextField(), vsCodeTextArea(), vsCodeLink(),
);
