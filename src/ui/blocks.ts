import type { InputBlock, LayoutBlock, Option, PlainText } from '@rocket.chat/ui-kit';

/** Small builders for the UI-kit JSON our views use, so each view reads as its content. */
export function plain(text: string): PlainText {
  return { type: 'plain_text', text, emoji: true };
}

export function markdownSection(text: string): LayoutBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

export function contextNote(blockId: string, text: string): LayoutBlock {
  return { type: 'context', blockId, elements: [{ type: 'mrkdwn', text }] };
}

export interface TextInputSpec {
  appId: string;
  blockId: string;
  actionId: string;
  label: string;
  placeholder?: string;
  initialValue?: string;
  hint?: string;
}

export function textInput(spec: TextInputSpec): InputBlock {
  return {
    type: 'input',
    blockId: spec.blockId,
    label: plain(spec.label),
    ...(spec.hint ? { hint: plain(spec.hint) } : {}),
    element: {
      type: 'plain_text_input',
      appId: spec.appId,
      blockId: spec.blockId,
      actionId: spec.actionId,
      ...(spec.placeholder ? { placeholder: plain(spec.placeholder) } : {}),
      ...(spec.initialValue ? { initialValue: spec.initialValue } : {}),
    },
  };
}

export interface SelectSpec {
  appId: string;
  blockId: string;
  actionId: string;
  label: string;
  placeholder: string;
  options: Array<{ label: string; value: string }>;
  initialValue?: string;
  optional?: boolean;
}

export function staticSelect(spec: SelectSpec): InputBlock {
  const options: Option[] = spec.options.map((option) => ({ text: plain(option.label), value: option.value }));
  const initialOption = options.find((option) => option.value === spec.initialValue);
  return {
    type: 'input',
    blockId: spec.blockId,
    label: plain(spec.label),
    ...(spec.optional ? { optional: true } : {}),
    element: {
      type: 'static_select',
      appId: spec.appId,
      blockId: spec.blockId,
      actionId: spec.actionId,
      placeholder: plain(spec.placeholder),
      options,
      ...(initialOption ? { initialOption, initialValue: initialOption.value } : {}),
    },
  };
}
