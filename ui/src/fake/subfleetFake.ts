/**
 * Sub-customers' fleets for the fake backend: which of the demo fleet's devices each sub-customer
 * has, and whose fleet is shown (the backend's session/fleet.rs).
 */
import type { Device, FleetOpened, FleetScope, Track, UserInfo } from "../bindings";
import { BackendError } from "../backend";

export interface SubFleetAccess {
  /** The whole fleet (the signed-in distributor's own). */
  devices(): Device[];
  /** The signed-in account's sub-customers. */
  subCustomers(): UserInfo[];
  /** The signed-in account. */
  account(): string;
}

export class FakeSubFleets {
  /** The sub-customer whose fleet is shown; null: the account's own. */
  account: string | null = null;

  constructor(private readonly access: SubFleetAccess) {}

  /** The devices of `account` (null: the own fleet): the sub-customers share the fleet in turn. */
  devicesOf(account: string | null): Device[] {
    const all = this.access.devices();
    if (account === null) return all;
    const subs = this.access.subCustomers().map((u) => u.account);
    const k = subs.indexOf(account);
    return k < 0 ? [] : all.filter((_, i) => i % subs.length === k);
  }

  /** The devices shown now. */
  shown(): Device[] {
    return this.devicesOf(this.account);
  }

  /** The tracks of the devices shown now. */
  tracksShown(tracks: readonly Track[]): Track[] {
    if (this.account === null) return [...tracks];
    const imeis = new Set(this.shown().map((d) => d.imei));
    return tracks.filter((t) => imeis.has(t.imei));
  }

  scope(): FleetScope {
    return { account: this.account };
  }

  /** As the backend: a name that is not a sub-customer is refused (20005), nothing changes. */
  open(account: string | null): FleetOpened {
    const name = account?.trim() ?? "";
    const target = name === "" || name.toLowerCase() === this.access.account().toLowerCase() ? null : name;
    if (target !== null && !this.access.subCustomers().some((u) => u.account === target)) {
      throw new BackendError({
        kind: "api",
        message: `Cannot open the fleet of ${target}: 20005 Target doesn't exist. The fleet shown is unchanged.`,
        apiCode: 20005,
      });
    }
    this.account = target;
    return { account: target, devices: this.shown().map((d) => ({ ...d })) };
  }
}
