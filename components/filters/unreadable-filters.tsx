// A page whose link carries filters that cannot be read: the filter bar to
// mend them and the reasons in words, never an error page.
import type { FilterOptions } from '@/lib/filter-options';
import type { FilterError } from '@/lib/filters';
import { FilterBar } from './filter-bar';
import { FilterErrors } from './filter-errors';
import { requestTime } from '@/lib/request-time';

export function UnreadableFilters({ title, options, error }: { title: string; options: FilterOptions; error: FilterError }) {
  return (
    <>
      <h1>{title}</h1>
      <FilterBar options={options} asOf={requestTime()} />
      <FilterErrors error={error} />
    </>
  );
}
