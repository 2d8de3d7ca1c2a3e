/** The page shell every portal page shares: zh-CN, one stylesheet, no inline script or style. */
import { html, type Html } from './html.ts';
import { SECURITY_HEADERS } from '../../shared/portal-headers.ts';

export interface PortalResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface Site {
  /** The bureau, e.g. 宿迁市市场监督管理局. */
  readonly bureauName: string;
  /** Path of the stylesheet (content-hashed: cached for a year). */
  readonly stylesheet: string;
  /** The public API's base URL, linked for machine-readable data. */
  readonly apiUrl: string;
}

/** Caching per kind of page (CloudFront honours the same headers). */
export const CACHE = {
  /** Lists and search results change whenever something is published. */
  list: 'public, max-age=60',
  /** A published record changes only by correction or withdrawal. */
  detail: 'public, max-age=300',
  /** Registries, the power list, reports. */
  reference: 'public, max-age=600',
  /** Errors, withdrawn and expired records: never kept, so a correction shows at once. */
  none: 'no-store',
} as const;

/** The security headers every page sends; CloudFront's response headers policy sets the same (shared/portal-headers.ts). */
export { SECURITY_HEADERS } from '../../shared/portal-headers.ts';

const NAV: readonly (readonly [string, string])[] = [
  ['/decisions', '执法决定'],
  ['/verify', '证件核验'],
  ['/officers', '执法人员'],
  ['/powers', '权责清单'],
  ['/inspection-items', '随机抽查事项'],
  ['/reports', '年度报告'],
];

export function page(site: Site, options: { title: string; current?: string; status?: number; cache: string; body: Html }): PortalResponse {
  const nav = NAV.map(
    ([path, label]) => html`<li><a href="${path}"${options.current === path ? html` aria-current="page"` : ''}>${label}</a></li>`,
  );
  const doc = html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} - ${site.bureauName}行政执法公示</title>
<link rel="stylesheet" href="${site.stylesheet}">
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header class="site">
<div class="wrap">
<a class="brand" href="/">${site.bureauName}<span>行政执法公示</span></a>
<nav aria-label="主导航"><ul>${nav}</ul></nav>
</div>
</header>
<main id="main" class="wrap" tabindex="-1">
${options.body}
</main>
<footer class="site">
<div class="wrap">
<p>本网站公示的信息依据《行政处罚法》《政府信息公开条例》和国务院办公厅关于全面推行行政执法公示制度的要求发布；涉及个人隐私的内容已依法隐去。</p>
<p><a href="/about">公示内容与方式说明</a> · <a href="${site.apiUrl}/public/openapi.json">开放数据接口（OpenAPI）</a></p>
</div>
</footer>
</body>
</html>
`;
  return {
    status: options.status ?? 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': options.cache, ...SECURITY_HEADERS },
    body: doc.value,
  };
}

/** A page that tells what went wrong in plain words, with the right status and a way on. */
export function errorPage(site: Site, status: number, title: string, message: Html | string, extra?: Html): PortalResponse {
  return page(site, {
    title,
    status,
    cache: CACHE.none,
    body: html`<section class="notice" role="alert">
<h1>${title}</h1>
<p>${message}</p>
${extra}
<p><a href="/">返回首页</a> · <a href="/decisions">查询执法决定</a></p>
</section>`,
  });
}

/** An unexpected failure: nothing about its cause (a request may carry personal data), never cached. */
export const internalErrorPage = (site: Site): PortalResponse => errorPage(site, 500, '服务器内部错误', '页面暂时无法显示，请稍后再试。');
