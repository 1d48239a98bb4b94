/**
 * Device commands, the audit log, mileage and accounts for the fake backend (view tests, the
 * browser preview). It keeps the real backend's rules — a one-time confirmation id, the typed
 * plate for a moving vehicle, expiry, nothing sent on a refusal — and records what it "sent", so
 * tests can check that a cancelled dialog sent nothing.
 */
import type {
  AccountActionPreview,
  AuditEntry,
  Command,
  CommandPreview,
  CommandProgress,
  CommandResult,
  Device,
  IpcError,
  MessageSendResult,
  MileageReport,
  MustType,
  Track,
  UserInfo,
  VehicleState,
} from "../bindings";
import { BackendError, type Unsubscribe } from "../backend";
import { typedMatches } from "../lib/confirmText";

export interface FleetAccess {
  devices(): Device[];
  tracks(): Track[];
  /** Replaces one device's track (the next poll reports it). */
  setTrack(track: Track): void;
  nowMs(): number;
  account(): string;
  providerUrl(): string;
}

export interface OperationsFakeOptions {
  /** Polls before the device answers (a number larger than `maxPolls` means never). */
  replyAfterPolls?: number;
  maxPolls?: number;
  /** ms between polls (0: as fast as timers allow). */
  pollMs?: number;
  /** Lifetime of a confirmation id, ms. */
  ttlMs?: number;
}

interface PendingCommand {
  kind: "command";
  imei: string;
  command: Command;
  vehicle: VehicleState;
  mustType: MustType | null;
  expires: number;
  wrong: number;
}

interface PendingBlock {
  kind: "block";
  user: UserInfo;
  block: boolean;
  expires: number;
}

function ipc(kind: IpcError["kind"], message: string, apiCode: number | null = null): BackendError {
  return new BackendError({ kind, message, apiCode });
}

const WIRE: Record<string, string> = {
  StopEngine: "RELAY,1",
  RestoreEngine: "RELAY,0",
  Reset: "RESET",
  LockDoor: "LOCKDOOR",
  UnlockDoor: "UNLOCKDOOR",
};
const LABEL: Record<string, string> = {
  StopEngine: "Stop engine",
  RestoreEngine: "Restore engine",
  Reset: "Reset device",
  LockDoor: "Lock door",
  UnlockDoor: "Unlock door",
};
const REPLY: Record<string, string> = {
  StopEngine: "Cut off the fuel supply: Success! Speed: 0km/h.",
  RestoreEngine: "Restore fuel supply: Success!",
  Reset: "Reset Success! The device will restart.",
  LockDoor: "Lock door: Success!",
  UnlockDoor: "Unlock door: Success!",
};

export function demoAccounts(nowSecs: number): UserInfo[] {
  const u = (account: string, username: string, roletype: number, blockstatus: number, days: number): UserInfo => ({
    account,
    username,
    email: `${account}@example.com`,
    mobile: "",
    telephone: "",
    createtime: nowSecs - days * 86_400,
    roletype,
    blockstatus,
  });
  return [
    u("fleet-manager", "Fleet Manager", 1, 1, 900),
    u("demo-east", "East depot", 2, 1, 400),
    u("demo-west", "West depot", 2, 1, 380),
    u("demo-virtual", "Auditor", 3, 1, 200),
    u("demo-blocked", "Former customer", 2, 0, 700),
  ];
}

export class FakeOperations {
  /** Commands that reached the "provider", in order. */
  readonly sent: Array<{ imei: string; wire: string }> = [];
  readonly audit: AuditEntry[] = [];
  readonly messages: Array<{ accounts: string[]; content: string }> = [];
  private users: UserInfo[] | null = null;
  /** The next command send fails with this provider error (then it is cleared). */
  failNextSend: { code: number; message: string } | null = null;
  replyAfterPolls: number;
  maxPolls: number;
  pollMs: number;
  ttlMs: number;
  private readonly pending = new Map<string, PendingCommand | PendingBlock>();
  private readonly waiting = new Map<string, () => void>();
  private readonly progressHandlers = new Set<(p: CommandProgress) => void>();
  private seq = 0;

  constructor(
    private readonly fleet: FleetAccess,
    opts: OperationsFakeOptions = {},
  ) {
    this.replyAfterPolls = opts.replyAfterPolls ?? 3;
    this.maxPolls = opts.maxPolls ?? 30;
    this.pollMs = opts.pollMs ?? 0;
    this.ttlMs = opts.ttlMs ?? 60_000;
  }

  /** The demo's accounts (made on first use: the fleet's clock is not set up yet at construction). */
  get accounts(): UserInfo[] {
    this.users ??= demoAccounts(Math.floor(this.fleet.nowMs() / 1000));
    return this.users;
  }

  private newId(): string {
    this.seq += 1;
    return `fake-confirmation-${this.seq}`;
  }

  onProgress(handler: (p: CommandProgress) => void): Unsubscribe {
    this.progressHandlers.add(handler);
    return () => this.progressHandlers.delete(handler);
  }

  private emit(p: CommandProgress): void {
    for (const h of this.progressHandlers) h(p);
  }

  private vehicle(imei: string): VehicleState {
    const device = this.fleet.devices().find((d) => d.imei === imei);
    const track = this.fleet.tracks().find((t) => t.imei === imei);
    if (!device) throw ipc("validation", `The provider knows no device ${imei} in this account.`);
    const fix = track && track.gpstime > 0 ? track : undefined;
    const clock = fix ? (fix.servertime > 0 ? fix.servertime : Math.floor(this.fleet.nowMs() / 1000)) : 0;
    const age = fix ? Math.max(0, clock - fix.gpstime) : null;
    const speed = fix ? fix.speed : null;
    return {
      imei,
      name: device.devicename,
      plate: device.platenumber,
      speed,
      gpsTime: fix ? fix.gpstime : null,
      fixAgeSecs: age,
      moving: speed !== null && speed > 0 && age !== null && age < 300,
      motionUnknown: age === null || age >= 300,
      accOn: track?.accstatus === 1,
      datastatus: track?.datastatus ?? 0,
    };
  }

  prepare(imei: string, command: Command): CommandPreview {
    if (typeof command !== "string") throw ipc("validation", "Only stop engine, restore engine, reset and the door locks can be sent from here.");
    const vehicle = this.vehicle(imei);
    const who = [vehicle.name, vehicle.plate].filter(Boolean).join(" · ") || imei;
    // As the backend: an engine stop or door unlock of a vehicle that moves, may move (no recent
    // fix) or has its ignition on needs the plate typed.
    const risky = (command === "StopEngine" || command === "UnlockDoor") && (vehicle.moving || vehicle.motionUnknown || vehicle.accOn);
    const mustType: MustType | null =
      risky
        ? vehicle.plate
          ? { kind: "plate", text: vehicle.plate }
          : { kind: "imeiLast4", text: imei.slice(-4) }
        : null;
    const id = this.newId();
    this.pending.set(id, { kind: "command", imei, command, vehicle, mustType, expires: this.fleet.nowMs() + this.ttlMs, wrong: 0 });
    return {
      confirmationId: id,
      command,
      wire: WIRE[command] ?? command,
      action: LABEL[command] ?? command,
      effect:
        command === "StopEngine"
          ? `Cuts the fuel supply of ${who}: the engine stops and cannot be started again until you send Restore engine.`
          : `${LABEL[command] ?? command}: ${who}.`,
      danger: !mustType
        ? null
        : vehicle.moving && command === "StopEngine"
          ? `${who} is MOVING at ${vehicle.speed} km/h (fix ${vehicle.fixAgeSecs} s ago). Cutting the engine of a moving vehicle can cause an accident.`
          : vehicle.motionUnknown
            ? `Whether ${who} is moving cannot be told.`
            : `The ignition of ${who} is ON: the engine may be running and the vehicle about to move.`,
      note: vehicle.datastatus === 4 ? "This device is offline: the provider will refuse the command until it is back online." : null,
      vehicle,
      mustType,
      expiresInSecs: Math.round(this.ttlMs / 1000),
      maxPolls: this.maxPolls,
    };
  }

  private take<K extends "command" | "block">(id: string, kind: K, nothing: string): Extract<PendingCommand | PendingBlock, { kind: K }> {
    const p = this.pending.get(id);
    if (!p || p.kind !== kind) throw ipc("validation", `This confirmation is not valid or was already used. ${nothing}.`);
    if (p.expires <= this.fleet.nowMs()) {
      this.pending.delete(id);
      throw ipc("validation", `This confirmation expired (it lasts a minute). ${nothing}: start again.`);
    }
    return p as Extract<PendingCommand | PendingBlock, { kind: K }>;
  }

  discard(id: string): void {
    this.pending.delete(id);
  }

  async confirm(id: string, typed: string | null): Promise<CommandResult> {
    const p = this.take(id, "command", "Nothing was sent");
    if (p.mustType && !typedMatches(p.mustType.text, typed ?? "")) {
      p.wrong += 1;
      if (p.wrong >= 3) this.pending.delete(id);
      throw ipc("validation", `That does not match "${p.mustType.text}". Nothing was sent.`);
    }
    this.pending.delete(id);
    const wire = WIRE[p.command as string] ?? "";
    const base = {
      time: this.fleet.nowMs(),
      account: this.fleet.account(),
      providerUrl: this.fleet.providerUrl(),
      target: [p.vehicle.name, p.vehicle.plate].filter(Boolean).join(" · ") || p.imei,
      imei: p.imei,
      action: LABEL[p.command as string] ?? "",
      command: wire,
      stoppedWaiting: false,
    };
    this.emit({ confirmationId: id, poll: 0, maxPolls: this.maxPolls });
    this.sent.push({ imei: p.imei, wire });
    const fail = this.failNextSend;
    if (fail) {
      this.failNextSend = null;
      this.audit.push({ ...base, commandId: "", outcome: "refused", reply: fail.message });
      throw ipc("api", fail.message, fail.code);
    }
    const commandId = `C${this.sent.length}`;
    let stopped = false;
    const stop = new Promise<void>((resolve) =>
      this.waiting.set(id, () => {
        stopped = true;
        resolve();
      }),
    );
    for (let n = 1; n <= this.maxPolls; n++) {
      const tick = new Promise<void>((r) => setTimeout(r, this.pollMs));
      await Promise.race([tick, stop]);
      if (stopped) {
        this.waiting.delete(id);
        this.audit.push({ ...base, commandId, outcome: "replied", reply: REPLY[p.command as string] ?? "OK", stoppedWaiting: true });
        return {
          confirmationId: id,
          commandId: null,
          outcome: "stoppedWaiting",
          reply: null,
          message: "You stopped waiting. The command was sent and will not be sent again; the device may still act on it. Its reply, if one comes, goes to the audit log.",
        };
      }
      this.emit({ confirmationId: id, poll: n, maxPolls: this.maxPolls });
      if (n >= this.replyAfterPolls) {
        this.waiting.delete(id);
        const reply = REPLY[p.command as string] ?? "OK";
        this.apply(p.imei, p.command);
        this.audit.push({ ...base, commandId, outcome: "replied", reply });
        return { confirmationId: id, commandId, outcome: "replied", reply, message: `The device replied: ${reply}` };
      }
    }
    this.waiting.delete(id);
    const message = `No reply from the device in ${this.maxPolls} s — it may still act when it comes back online.`;
    this.audit.push({ ...base, commandId, outcome: "timedOut", reply: message });
    return { confirmationId: id, commandId, outcome: "timedOut", reply: null, message };
  }

  stopWaiting(id: string): boolean {
    const stop = this.waiting.get(id);
    stop?.();
    return stop !== undefined;
  }

  /** What the device does on a reply: an engine stop parks the vehicle, a restore lets it go. */
  private apply(imei: string, command: Command): void {
    const t = this.fleet.tracks().find((x) => x.imei === imei);
    if (!t) return;
    if (command === "StopEngine") this.fleet.setTrack({ ...t, speed: 0, oilpowerstatus: 0, accstatus: 0 });
    if (command === "RestoreEngine") this.fleet.setTrack({ ...t, oilpowerstatus: 1 });
  }

  mileage(imeis: string[], begin: number, end: number): MileageReport {
    if (imeis.length === 0) throw ipc("validation", "Choose at least one vehicle.");
    if (end <= begin) throw ipc("validation", "The period must end after it begins.");
    const b = begin - (((begin % 1800) + 1800) % 1800);
    const e = end % 1800 === 0 ? end : end + (1800 - (((end % 1800) + 1800) % 1800));
    const days = (e - b) / 86_400;
    const rows = imeis.map((imei) => {
      const perDay = (Number(imei.slice(-3)) % 97) + 3;
      return { imei, km: Math.round(perDay * days * 100) / 100 };
    });
    const totalKm = Math.round(rows.reduce((s, r) => s + r.km, 0) * 100) / 100;
    return { requestedBegin: begin, requestedEnd: end, begin: b, end: e, windows: Math.ceil((e - b) / (7 * 86_400)), rows, totalKm, withoutData: 0 };
  }

  list(): UserInfo[] {
    return this.accounts.filter((a) => a.account !== this.fleet.account()).map((a) => ({ ...a }));
  }

  profile(): UserInfo {
    const me = this.accounts.find((a) => a.account === this.fleet.account());
    return me ? { ...me } : { ...this.accounts[0]!, account: this.fleet.account() };
  }

  prepareBlock(account: string, block: boolean): AccountActionPreview {
    const user = this.accounts.find((a) => a.account === account);
    if (!user) throw ipc("api", "Target doesn't exist.", 20005);
    if ((user.blockstatus === 0) === block) throw ipc("validation", `${account} is already ${block ? "blocked" : "unblocked"}.`);
    const id = this.newId();
    this.pending.set(id, { kind: "block", user: { ...user }, block, expires: this.fleet.nowMs() + this.ttlMs });
    const who = user.username ? `${user.account} (${user.username})` : user.account;
    return {
      confirmationId: id,
      account,
      username: user.username,
      role: ["", "Distributor", "End user", "Virtual account"][user.roletype] ?? "Unknown role",
      blockedNow: user.blockstatus === 0,
      block,
      action: block ? "Block account" : "Unblock account",
      effect: block
        ? `${who} will be blocked: it can no longer sign in or use the provider until it is unblocked.`
        : `${who} will be unblocked: it can sign in again.`,
      expiresInSecs: Math.round(this.ttlMs / 1000),
    };
  }

  confirmBlock(id: string): UserInfo {
    const p = this.take(id, "block", "Nothing was changed");
    this.pending.delete(id);
    const user = this.accounts.find((a) => a.account === p.user.account);
    if (!user) throw ipc("api", "Target doesn't exist.", 20005);
    user.blockstatus = p.block ? 0 : 1;
    this.audit.push({
      time: this.fleet.nowMs(),
      account: this.fleet.account(),
      providerUrl: this.fleet.providerUrl(),
      target: `account ${user.account}`,
      imei: "",
      action: p.block ? "Block account" : "Unblock account",
      command: p.block ? "block" : "unblock",
      commandId: "",
      outcome: "done",
      reply: "",
      stoppedWaiting: false,
    });
    return { ...user };
  }

  sendMessage(accounts: string[], content: string): MessageSendResult {
    const to = [...new Set(accounts.map((a) => a.trim()).filter(Boolean))];
    if (to.length === 0) throw ipc("validation", "Choose at least one account.");
    const chars = [...content].length;
    if (!content.trim()) throw ipc("validation", "The message is empty.");
    if (chars > 300) throw ipc("validation", `The message has ${chars} characters; at most 300 are allowed.`);
    let sends = 0;
    for (let i = 0; i < to.length; i += 200) {
      this.messages.push({ accounts: to.slice(i, i + 200), content });
      sends += 1;
    }
    return { sends, recipients: to.length };
  }
}
