/**
 * Text for a terminal: every C0 control character but newline and tab, DEL, and every C1
 * control character are removed, so a value from a source cannot move the cursor, recolour
 * the screen, set the window title or hide text (ESC sequences start with \x1b or \x9b).
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}
