import { Link, PageHeading } from '../components.tsx';
import { href } from '../lib/routes.ts';

export default function NotFound() {
  return (
    <section>
      <PageHeading title="页面不存在" />
      <p>地址有误，或该页面尚未提供。</p>
      <p>
        <Link href={href.myCases()}>返回我的案件</Link>
      </p>
    </section>
  );
}
