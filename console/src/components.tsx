/** Small pieces every section uses: links that stay in the app, page headings, loading and errors. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useApp } from './app-context.ts';
import type { ApiError } from './lib/errors.ts';
import { ADMIN_PAGE_TITLES, href, type AdminPage } from './lib/routes.ts';

export function Link({ href, children, class: className }: { href: string; children: ComponentChildren; class?: string }) {
  const { navigate } = useApp();
  const onClick = (e: MouseEvent) => {
    // A new tab or window keeps the browser's own behaviour.
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} class={className}>
      {children}
    </a>
  );
}

/** The page's h1, focused when the page opens so that screen readers announce the new page. */
export function PageHeading({ title, children }: { title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · 执法工作台`;
    ref.current?.focus();
  }, [title]);
  return (
    <div class="page-heading">
      <h1 tabIndex={-1} ref={ref}>
        {title}
      </h1>
      {children}
    </div>
  );
}

export const Loading = ({ what }: { what: string }) => (
  <p class="loading" role="status">
    正在加载{what}…
  </p>
);

export function ErrorNote({ error, title }: { error: ApiError; title?: string }) {
  return (
    <div class="error-note" role="alert">
      {title ? <strong>{title}：</strong> : null}
      {error.message}
      {error.details.length > 0 ? (
        <ul>
          {error.details.map((d, i) => (
            <li key={i}>{d.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A labelled form field with its hint and the API's errors for it (`details[].path`). */
export function Field({ id, label, errors, hint, children }: { id: string; label: string; errors: string[] | undefined; hint?: string; children: ComponentChildren }) {
  return (
    <div class={`field${errors ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {errors ? (
        <p class="field-error" id={`${id}-error`}>
          {errors.join('；')}
        </p>
      ) : null}
    </div>
  );
}

/**
 * 执法主体: which agency a leader's or the legal division's page is about, among those the user may
 * act for; `all` adds 全部机构 (the agency left unset). Shown only when there is a choice.
 */
export function AgencyPicker({ id, agencies, value, onChange, all = false }: { id: string; agencies: readonly { id: string; name: string }[]; value: string | undefined; onChange: (agencyId: string | undefined) => void; all?: boolean }) {
  if (agencies.length <= 1) return null;
  return (
    <div class="field agency-pick">
      <label for={id}>执法主体</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.currentTarget.value || undefined)}>
        {all ? <option value="">全部机构</option> : null}
        {agencies.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The trail above a legal-division page: 系统管理 › the page (› the item, when one is open). */
export function AdminCrumb({ page, item }: { page: AdminPage; item?: string }) {
  const title = ADMIN_PAGE_TITLES[page].title;
  return (
    <p class="breadcrumb">
      <Link href={href.admin()}>系统管理</Link> › {item === undefined ? title : <Link href={href.adminPage(page)}>{title}</Link>}
      {item === undefined ? null : <> › {item}</>}
    </p>
  );
}
