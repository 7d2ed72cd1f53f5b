/**
 * Zone arithmetic for the ASG (pure): where launches go (the zone with the
 * fewest instances, ties in list order) and whether the group needs an
 * AZRebalance (a zone two or more short of another, or instances in a zone the
 * group no longer lists); which zones can take launches now (availableZones).
 */
export function countByZone(zones: readonly string[], instanceZones: readonly string[]): Map<string, number> {
  const out = new Map<string, number>(zones.map((z) => [z, 0]));
  for (const z of instanceZones) out.set(z, (out.get(z) ?? 0) + 1);
  return out;
}

/** The zones of n launches, spreading evenly over the listed zones. */
export function chooseZones(zones: readonly string[], counts: ReadonlyMap<string, number>, n: number): string[] {
  const c = new Map(zones.map((z) => [z, counts.get(z) ?? 0]));
  const out: string[] = [];
  for (let i = 0; i < n && zones.length > 0; i++) {
    let best = zones[0]!;
    for (const z of zones) if (c.get(z)! < c.get(best)!) best = z;
    c.set(best, c.get(best)! + 1);
    out.push(best);
  }
  return out;
}

/** The zone to launch one instance in to rebalance, or undefined when balanced. */
export function rebalanceZone(zones: readonly string[], counts: ReadonlyMap<string, number>): string | undefined {
  if (zones.length === 0) return undefined;
  const listed = new Set(zones);
  const [short] = chooseZones(zones, counts, 1);
  const low = counts.get(short!) ?? 0;
  let high = 0;
  let strays = 0;
  for (const [z, n] of counts) {
    if (listed.has(z)) high = Math.max(high, n);
    else strays += n;
  }
  return strays > 0 || high - low >= 2 ? short : undefined;
}

/** The zones launches can go to now: the listed ones that are not impaired (Provider.impairedZones). */
export function availableZones(zones: readonly string[], impaired: ReadonlyMap<string, string>): string[] {
  return zones.filter((z) => !impaired.has(z));
}
