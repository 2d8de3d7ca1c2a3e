/**
 * What every console form shows around its fields: the error above it (the API's message, or a pointer
 * to the fields when every detail has one, and a reload offer on a 409 that keeps what was typed), and the
 * confirmation step before a consequential action. Field-level messages stay with the fields (`Field`).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import type { ApiError, FormErrors } from './lib/errors.ts';

export function FormAlert({
  error,
  errors,
  title = '未能办理',
  reloadLabel = '重新加载',
  onReload,
  reloading = false,
  changes,
}: {
  error: ApiError;
  errors: FormErrors;
  title?: string;
  reloadLabel?: string;
  /** Offered on a 409 (the record changed meanwhile); omit where reloading makes no sense. */
  onReload?: () => void;
  reloading?: boolean;
  /** What the reload found; once known, the offer is not repeated. */
  changes?: readonly string[] | undefined;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [error]);
  const onlyFields = error.details.length > 0 && errors.general.length === 0 && Object.keys(errors.byField).length > 0;
  return (
    <div class="error-note" role="alert" tabIndex={-1} ref={ref}>
      <strong>{title}：</strong>
      {onlyFields ? '请按各栏下方的提示更正后再提交。' : error.message}
      {errors.general.length > 0 ? (
        <ul>
          {errors.general.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      ) : null}
      {error.status === 409 && onReload && changes === undefined ? (
        <p class="conflict-actions">
          已填写的内容已保存，不会丢失。
          <button type="button" class="secondary" disabled={reloading} onClick={onReload}>
            {reloading ? '正在重新加载…' : reloadLabel}
          </button>
        </p>
      ) : null}
    </div>
  );
}

/** The confirmation before a consequential action: what will happen, then the action or 返回修改. */
export function Confirm({
  title,
  text,
  busy,
  confirmLabel,
  onConfirm,
  onCancel,
  children,
}: {
  title: string;
  text: string;
  busy: boolean;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ComponentChildren;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const uid = useId();
  useEffect(() => ref.current?.focus(), []);
  return (
    <div class="confirm" role="group" aria-labelledby={`${uid}-t`} tabIndex={-1} ref={ref}>
      <h4 id={`${uid}-t`}>{title}</h4>
      <p>{text}</p>
      {children}
      <div class="button-row">
        <button type="button" class="danger" disabled={busy} onClick={onConfirm}>
          {busy ? '正在提交…' : confirmLabel}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={onCancel}>
          返回修改
        </button>
      </div>
    </div>
  );
}
