/**
 * The console's build (issue 16, point 7): within the JavaScript budget, each section in a chunk of its
 * own, names that change with the content, and a shell in Chinese that names them and carries its
 * configuration without inline script. esbuild runs in-process: no network.
 */
import { describe, expect, it } from 'vitest';
import { buildConsole, JS_BUDGET_GZIP_BYTES } from '../../console/build.ts';
import { consoleSecurityHeaders } from '../../console/headers.ts';
import { SECURITY_HEADERS } from '../../shared/portal-headers.ts';

describe('the console build', async () => {
  const built = await buildConsole();
  const js = [...built.assets.values()].filter((a) => a.path.endsWith('.js'));

  it('stays within 300 KB of JavaScript (gzip) for the whole console', () => {
    expect(built.javascriptGzipBytes).toBe(js.reduce((s, a) => s + a.gzipBytes, 0));
    expect(built.javascriptGzipBytes).toBeLessThan(JS_BUDGET_GZIP_BYTES);
  });

  it('loads each section as its own chunk, not with the entry', () => {
    const entry = built.assets.get(built.script);
    for (const section of ['sign-in', 'my-cases', 'case-page']) {
      const chunk = js.find((a) => a.inputs.includes(`console/src/sections/${section}.tsx`));
      expect(chunk, section).toBeDefined();
      expect(chunk?.path).not.toBe(built.script);
      expect(entry?.inputs).not.toContain(`console/src/sections/${section}.tsx`);
    }
    for (const a of built.assets.values()) expect(a.path).toMatch(/^\/console\/assets\/[a-z-]+-[A-Z0-9]{8}\.(js|css)$/);
  });

  it('writes a zh-CN shell naming the hashed assets, with its configuration in escaped meta tags', () => {
    const html = built.shell({ apiUrl: 'https://api.example.gov.cn', bureauName: '宿迁市"市场"<监督>管理局' });
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain(`<script type="module" src="${built.script}"></script>`);
    expect(html).toContain(`<link rel="stylesheet" href="${built.stylesheet}">`);
    expect(html).toContain('<meta name="console:api-url" content="https://api.example.gov.cn">');
    expect(html).toContain('content="宿迁市&quot;市场&quot;&lt;监督&gt;管理局"');
    // Only external scripts: the CSP allows no inline code.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it("sends the portal's security headers with a CSP that lets only its own scripts run and only the API be called", () => {
    const headers = consoleSecurityHeaders('https://api.example.gov.cn/prod/');
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (k !== 'content-security-policy') expect(headers[k]).toBe(v);
    const csp = headers['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self' https://api.example.gov.cn;");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
  });
});
