/**
 * The console's send-keys menu and "type the clipboard", as X11 keysyms for noVNC's sendKey
 * (noVNC exports no keysym table: only `import RFB` resolves). Browsers keep Cmd+Q, Cmd+Tab and
 * the like for themselves, so these go as buttons. On Apple's VNC server Command is Alt_L and
 * Option is Meta_L (reported by Lume and others; to be checked on a real Mac). Pure: no DOM.
 */
export const KEYSYM = {
  command: 0xffe9, // Alt_L
  option: 0xffe7, // Meta_L
  control: 0xffe3, // Control_L
  alt: 0xffe9, // Alt_L
  shift: 0xffe1, // Shift_L
  space: 0x20,
  tab: 0xff09,
  escape: 0xff1b,
  delete: 0xffff,
  return: 0xff0d,
  q: 0x71,
  f1: 0xffbe,
} as const;

export interface KeyCombo {
  id: string;
  label: string;
  /** Held in order, the last one pressed, then all released in reverse. */
  keys: number[];
}

export const KEY_COMBOS: KeyCombo[] = [
  { id: "cmd-space", label: "Cmd+Space", keys: [KEYSYM.command, KEYSYM.space] },
  { id: "cmd-tab", label: "Cmd+Tab", keys: [KEYSYM.command, KEYSYM.tab] },
  { id: "cmd-q", label: "Cmd+Q", keys: [KEYSYM.command, KEYSYM.q] },
  { id: "cmd-option-esc", label: "Cmd+Option+Esc", keys: [KEYSYM.command, KEYSYM.option, KEYSYM.escape] },
  { id: "ctrl-alt-del", label: "Ctrl+Alt+Del", keys: [KEYSYM.control, KEYSYM.alt, KEYSYM.delete] },
  ...Array.from({ length: 12 }, (_, i) => ({ id: `f${i + 1}`, label: `F${i + 1}`, keys: [KEYSYM.f1 + i] })),
];

/** The keysym of one character: Latin-1 as is, other Unicode as 0x01000000 + code point (X11's rule). */
export function keysymOf(char: string): number {
  if (char === "\n" || char === "\r") return KEYSYM.return;
  if (char === "\t") return KEYSYM.tab;
  const code = char.codePointAt(0)!;
  return code < 0x100 ? code : 0x01000000 + code;
}

/** Text as a key sequence (clipboard → keystrokes); "\r\n" is one Return. */
export function keysymsOf(text: string): number[] {
  return [...text.replace(/\r\n/g, "\n")].map(keysymOf);
}
