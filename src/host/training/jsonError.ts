// Where strict JSON breaks: V8's JSON.parse messages no longer carry a position (Node 20+,
// VS Code's Electron), and "line 3, column 13" is what tells a user what to fix. A small
// strict scanner, run only after JSON.parse has failed. Pure.

export function jsonErrorOffset(text: string): { offset: number; expected: string } | undefined {
  let i = 0;
  const fail = (expected: string): never => { throw { offset: i, expected }; };
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++; };
  const lit = (word: string) => { if (text.startsWith(word, i)) i += word.length; else fail(`a value`); };
  const str = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail('no control characters inside a string');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('4 hex digits after \\u'); i += 4; }
        else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('a valid escape');
      }
      i++;
    }
    if (i >= text.length) fail('a closing quote');
    i++;
  };
  const num = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m || !m[0]) fail('a value');
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a property name in double quotes');
        str(); ws();
        if (text[i] !== ':') fail("':'");
        i++; value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return; }
        fail("',' or '}'");
      }
    } else if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return; }
      for (;;) {
        value(); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return; }
        fail("',' or ']'");
      }
    } else if (c === '"') str();
    else if (c === 't') lit('true');
    else if (c === 'f') lit('false');
    else if (c === 'n') lit('null');
    else num();
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value(); ws();
    if (i < text.length) fail('the end of the document');
    return undefined;
  } catch (e) {
    return e as { offset: number; expected: string };
  }
}
