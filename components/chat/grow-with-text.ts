/**
 * Where CSS cannot size a text box to its content (`field-sizing`, missing in Firefox), its height
 * follows the text up to the stylesheet's max-height, past which it scrolls.
 */
export function growWithText(textarea: HTMLTextAreaElement | null): void {
  if (!textarea || CSS.supports("field-sizing", "content")) return;
  textarea.style.height = "auto";
  textarea.style.height = `${textarea.scrollHeight}px`;
}
