// A world map drawn on the server from Natural Earth outlines (world-atlas, bundled with the
// application: no tiles, no outside network), with the JCM partner countries shaded and each project
// marked at its coordinates.
import { createRequire } from 'node:module';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { raw } from 'hono/html';
import { feature } from 'topojson-client';
import type { FeatureCollection, Geometry } from 'geojson';

const require = createRequire(import.meta.url);
const atlas = require('world-atlas/countries-110m.json') as Parameters<typeof feature>[0] & {
  objects: { countries: never };
};
const countries = feature(atlas, atlas.objects.countries) as unknown as FeatureCollection<
  Geometry,
  { name: string }
>;

/** Names in the reference data that Natural Earth writes differently. */
const aliases: Readonly<Record<string, string>> = {
  'Viet Nam': 'Vietnam',
  'Lao PDR': 'Laos',
  'Kyrgyz Republic': 'Kyrgyzstan',
};

const width = 960;
const height = 480;
const projection = geoEqualEarth().fitSize([width, height], countries);
const path = geoPath(projection);

export function worldMap(
  partners: readonly string[],
  projects: readonly { label: string; latitude: number; longitude: number; href: string }[],
) {
  const shaded = new Set(partners.map((p) => aliases[p] ?? p));
  const shapes = countries.features
    .map(
      (f) =>
        `<path class="land${shaded.has(f.properties.name) ? ' partner' : ''}" d="${path(f) ?? ''}"><title>${escape(f.properties.name)}</title></path>`,
    )
    .join('');
  const markers = projects
    .map((p) => {
      const at = projection([p.longitude, p.latitude]);
      if (at === null) return '';
      return `<a href="${escape(p.href)}"><circle class="project" cx="${at[0].toFixed(1)}" cy="${at[1].toFixed(1)}" r="6"><title>${escape(p.label)}</title></circle></a>`;
    })
    .join('');
  return raw(
    `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="Map of the JCM partner countries (shaded) and projects (red points)"><title>JCM partner countries and projects</title>${shapes}${markers}</svg>`,
  );
}

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
}

/** The map of the partner countries and of these projects, each point linking to its page. */
export function projectsMap(
  partners: readonly { readonly name: string }[],
  projects: readonly {
    readonly id: string;
    readonly title: string;
    readonly latitude: number;
    readonly longitude: number;
    /** From the stored flag of its participants: the point's name says so. */
    readonly synthetic: boolean;
  }[],
) {
  return worldMap(
    partners.map((p) => p.name),
    projects.map((p) => ({
      label:
        p.synthetic && !p.title.includes('synthetic demo data')
          ? `${p.title} (synthetic demo data)`
          : p.title,
      latitude: p.latitude,
      longitude: p.longitude,
      href: `/projects/${p.id}`,
    })),
  );
}
