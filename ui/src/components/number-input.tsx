/**
 * The whole-number input of the dialogs (cores, GB of memory, GB of disk), bound to its <Field>'s
 * aria state. Every attribute reads a prop, so the input is rendered once and keeps its focus and
 * caret while typed into (see field.tsx).
 */
import type { FieldAria } from "./field.tsx";

export function NumberInput(props: {
  aria: FieldAria;
  value: string;
  min: number;
  max: number;
  disabled?: boolean;
  testid: string;
  onInput: (value: string) => void;
  onBlur: () => void;
}) {
  return (
    <input
      id={props.aria.id}
      aria-invalid={props.aria["aria-invalid"]}
      aria-describedby={props.aria["aria-describedby"]}
      type="number"
      inputmode="numeric"
      min={props.min}
      max={props.max}
      step="1"
      value={props.value}
      disabled={props.disabled}
      data-testid={props.testid}
      onInput={(e) => props.onInput(e.currentTarget.value)}
      onBlur={() => props.onBlur()}
    />
  );
}
