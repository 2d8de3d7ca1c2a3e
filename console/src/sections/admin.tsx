/**
 * 系统管理: the legal division's (法规处, the admin role) index of its registers, catalogues and
 * records (issue 16, point 5). Each page checks the role again through the API; this index only
 * points the way.
 */
import { Link, PageHeading } from '../components.tsx';
import { ADMIN_PAGES, ADMIN_PAGE_TITLES, href } from '../lib/routes.ts';

export default function AdminIndex() {
  return (
    <section>
      <PageHeading title="系统管理">
        <p class="lead">法制机构维护执法人员、清单目录、设备和日历，办理统计年报，查阅审计记录。</p>
      </PageHeading>
      <ul class="admin-index">
        {ADMIN_PAGES.map((page) => (
          <li key={page}>
            <Link href={href.adminPage(page)}>{ADMIN_PAGE_TITLES[page].title}</Link>
            <span>{ADMIN_PAGE_TITLES[page].what}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
