/**
 * `/verify` (a form) and `/verify/{certificateNo}`: what a QR code on an officer's certificate opens.
 * One large status a person can read at arm's length on a phone, then who the officer is.
 */
import type { PublicApi } from '../api.ts';
import { html } from '../html.ts';
import { CERTIFICATE_STATUS, chineseDate } from '../labels.ts';
import { CACHE, errorPage, page, type PortalResponse, type Site } from '../layout.ts';
import { badRequest, type Query } from './query.ts';
import type { CertificateCheck } from '#domain/officer.ts';


/** Certificate numbers are digits and letters; anything else cannot be one. */
const CERTIFICATE_NO = /^[0-9A-Za-z-]{4,32}$/;

const form = (value = '') => html`<form class="verify-form" method="get" action="/verify">
<label for="no">执法证件编号</label>
<div class="inline"><input id="no" name="no" inputmode="numeric" autocomplete="off" maxlength="32" value="${value}" required><button type="submit">核验</button></div>
</form>`;

export function verifyFormPage(site: Site, query: Query): PortalResponse {
  const unknown = query.unknown(['no']);
  if (unknown) return badRequest(site, `不支持的查询条件「${unknown}」`);
  const no = query.one('no')?.trim();
  // A submitted form goes to the certificate's own address (the one its QR code holds).
  if (no !== undefined) return { status: 303, headers: { location: `/verify/${encodeURIComponent(no)}`, 'cache-control': CACHE.none }, body: '' };
  return page(site, {
    title: '执法证件核验',
    current: '/verify',
    cache: CACHE.reference,
    body: html`<h1>执法证件核验</h1>
<p>执法人员执行公务时应当出示行政执法证件。输入证件上的编号，或用手机扫描证件上的二维码，即可查看证件是否有效。</p>
${form()}`,
  });
}

export async function verifyPage(site: Site, api: PublicApi, certificateNo: string): Promise<PortalResponse> {
  if (!CERTIFICATE_NO.test(certificateNo)) {
    return errorPage(site, 404, '查无此证', `“${certificateNo.slice(0, 40)}”不是有效的执法证件编号格式。`, form());
  }
  const result = await api.get<CertificateCheck>(`/public/officers/verify/${encodeURIComponent(certificateNo)}`);
  if (!result.ok) {
    if (result.status === 404 || result.status === 400) {
      return page(site, {
        title: '查无此证',
        current: '/verify',
        status: 404,
        cache: CACHE.none,
        body: html`<div class="status status-bad" role="status"><span class="big">查无此证</span><span class="no">证件编号 ${certificateNo}</span></div>
<p>本机关没有签发这个编号的执法证件。如对方仍以执法人员身份执行公务，您有权拒绝，并可向本局反映。</p>
${form(certificateNo)}`,
      });
    }
    return errorPage(site, result.status, '无法核验', result.error.message);
  }
  const c = result.body;
  const status = CERTIFICATE_STATUS[c.status] ?? { label: c.status, tone: 'bad' as const };
  const advice =
    status.tone === 'ok'
      ? '该证件有效，持证人可在下列执法类别和区域内执行公务。'
      : '该证件目前不能用于执法。如持证人仍在执行公务，您有权拒绝，并可向本局反映。';
  return page(site, {
    title: `证件 ${c.certificateNo}：${status.label}`,
    current: '/verify',
    // A status can change at any moment (suspension, revocation): never served from a cache.
    cache: CACHE.none,
    body: html`<div class="status status-${status.tone}" role="status"><span class="big">${status.label}</span><span class="no">证件编号 ${c.certificateNo}</span></div>
<p class="advice">${advice}</p>
<table class="summary">
<tr><th scope="row">姓名</th><td>${c.name}</td></tr>
<tr><th scope="row">执法机关</th><td>${c.agencyName}</td></tr>
<tr><th scope="row">执法类别</th><td>${c.categories.join('、')}</td></tr>
<tr><th scope="row">执法区域</th><td>${c.region}</td></tr>
<tr><th scope="row">有效期至</th><td>${chineseDate(c.validUntil)}</td></tr>
</table>
<p class="hint">核验时间：${new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}（北京时间）</p>
${form()}`,
  });
}
