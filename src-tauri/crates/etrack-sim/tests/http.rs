//! The simulator over real loopback HTTP, as a client sees it.
#![allow(clippy::unwrap_used)]

use etrack::PasswordHash;
use etrack_sim::{
    SimConfig, SimHandle, DEMO_ACCOUNT, DEMO_PASSWORD, PARKED_INDEX, PARKED_NAME, SEASONAL_INDEX,
    SEASONAL_NAME,
};
use serde_json::Value;
use std::time::{Duration, Instant};

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    fn new(sim: &SimHandle) -> Self {
        Client {
            http: reqwest::Client::new(),
            base: sim.base_url(),
            token: String::new(),
        }
    }

    async fn raw(&self, method: &str, path: &str, params: &[(&str, String)]) -> (u16, String) {
        let url = format!("{}{}", self.base, path);
        let req = if method == "GET" {
            self.http.get(url)
        } else {
            self.http.post(url)
        };
        let r = req.query(params).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    async fn call(&self, method: &str, path: &str, params: &[(&str, String)]) -> Value {
        let mut all = vec![("access_token", self.token.clone())];
        all.extend(params.iter().cloned());
        let (status, body) = self.raw(method, path, &all).await;
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    async fn get(&self, path: &str, params: &[(&str, String)]) -> Value {
        self.call("GET", path, params).await
    }

    async fn post(&self, path: &str, params: &[(&str, String)]) -> Value {
        self.call("POST", path, params).await
    }

    async fn authorize_at(&self, account: &str, password: &str, time: i64) -> Value {
        let sig = PasswordHash::from_password(password).sign(time);
        let (status, body) = self
            .raw(
                "GET",
                "/api/authorization",
                &[
                    ("time", time.to_string()),
                    ("account", account.to_owned()),
                    ("signature", sig),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    async fn login(&mut self, account: &str) {
        let v = self.authorize_at(account, DEMO_PASSWORD, unix_now()).await;
        assert_eq!(v["code"], 0, "{v}");
        self.token = v["record"]["access_token"].as_str().unwrap().to_owned();
    }
}

fn code(v: &Value) -> i64 {
    v["code"].as_i64().unwrap()
}

async fn demo(config: SimConfig) -> (SimHandle, Client) {
    let sim = etrack_sim::spawn(config).await.unwrap();
    let mut c = Client::new(&sim);
    c.login(DEMO_ACCOUNT).await;
    (sim, c)
}

/// Playback records of [begin, end], following pages as the spec says; boundary repeats kept.
async fn playback_pages(c: &Client, imei: &str, begin: i64, end: i64) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut from = begin;
    loop {
        let v = c
            .get(
                "/api/playback",
                &[
                    ("imei", imei.to_owned()),
                    ("begintime", from.to_string()),
                    ("endtime", end.to_string()),
                ],
            )
            .await;
        assert_eq!(code(&v), 0, "{v}");
        let rec = v["record"].as_str().unwrap();
        let page: Vec<String> = if rec.is_empty() {
            Vec::new()
        } else {
            rec.split(';').map(str::to_owned).collect()
        };
        let full = page.len() == 1000;
        if let Some(last) = page.last() {
            from = field(last, 2) as i64;
        }
        pages.push(page);
        if !full {
            return pages;
        }
    }
}

fn field(record: &str, i: usize) -> f64 {
    record.split(',').nth(i).unwrap().parse().unwrap()
}

fn distinct(pages: &[Vec<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in pages {
        for r in p {
            if out.last() != Some(r) {
                out.push(r.clone());
            }
        }
    }
    out
}

#[tokio::test]
async fn signature_is_checked_with_a_time_window() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let c = Client::new(&sim);
    let now = unix_now();
    assert_eq!(
        code(&c.authorize_at("demo", DEMO_PASSWORD, now - 300).await),
        0
    );
    assert_eq!(
        code(&c.authorize_at("demo", DEMO_PASSWORD, now - 700).await),
        10014
    );
    assert_eq!(
        code(&c.authorize_at("demo", DEMO_PASSWORD, now + 700).await),
        10014
    );
    assert_eq!(code(&c.authorize_at("demo", "wrong", now).await), 20001);
    assert_eq!(
        code(&c.authorize_at("nobody", DEMO_PASSWORD, now).await),
        20001
    );
    let blocked = c.authorize_at("demo-blocked", DEMO_PASSWORD, now).await;
    assert_eq!(code(&blocked), 10016);
    assert_eq!(blocked["message"], "Account is blocked");
    let (_, body) = c
        .raw("GET", "/api/authorization", &[("account", "demo".into())])
        .await;
    assert!(body.contains("10005"), "{body}");
    let ok = c.authorize_at("demo", DEMO_PASSWORD, now).await;
    assert_eq!(ok["record"]["expires_in"], 7200);
    assert_eq!(ok["record"]["access_token"].as_str().unwrap().len(), 32);
    assert_eq!(sim.authorizations(), 2);
}

#[tokio::test]
async fn a_new_token_invalidates_the_previous_one_and_tokens_expire() {
    let (sim, mut c) = demo(SimConfig::default()).await;
    let imei = sim.imeis()[0].clone();
    let track = [("imeis", imei)];
    let first = c.token.clone();
    assert_eq!(code(&c.get("/api/track", &track).await), 0);
    c.login(DEMO_ACCOUNT).await;
    assert_eq!(code(&c.get("/api/track", &track).await), 0);
    let second = c.token.clone();
    c.token = first;
    assert_eq!(code(&c.get("/api/track", &track).await), 10011);
    c.token = "0123456789abcdef0123456789abcdef".into();
    assert_eq!(code(&c.get("/api/track", &track).await), 10010);
    c.token = second;
    sim.set_token_lifetime(Duration::ZERO);
    assert_eq!(code(&c.get("/api/track", &track).await), 10012);
    sim.set_token_lifetime(Duration::from_secs(60));
    c.login(DEMO_ACCOUNT).await;
    assert_eq!(code(&c.get("/api/track", &track).await), 0);
    assert_eq!(sim.authorizations(), 3);
}

#[tokio::test]
async fn playback_pages_repeat_the_boundary_record_and_cover_the_range() {
    let (sim, c) = demo(SimConfig::default()).await;
    let imei = sim.imeis()[0].clone();
    assert_eq!(sim.report_interval(&imei), Some(10));
    let end = unix_now() - 3600;
    let begin = end - 4 * 3600;
    let pages = playback_pages(&c, &imei, begin, end).await;
    assert_eq!(
        pages.len(),
        2,
        "1440 records: a full page and a partial one"
    );
    assert_eq!(pages[0].len(), 1000);
    assert_eq!(pages[1][0], pages[0][999], "the boundary record comes back");
    let all = distinct(&pages);
    let times: Vec<i64> = all.iter().map(|r| field(r, 2) as i64).collect();
    assert!(times.windows(2).all(|w| w[1] - w[0] == 10));
    // Both ends are included: 1440 or 1441 records depending on where the reports fall.
    assert!(times[0] >= begin && times[0] < begin + 10);
    let last = *times.last().unwrap();
    assert!(last <= end && last > end - 10);
    assert!((1440..=1441).contains(&all.len()));
    // Smooth: consecutive fixes 10 s apart are never further than 130 km/h allows.
    for w in all.windows(2) {
        let d = etrack_sim::distance_m(
            field(&w[0], 0),
            field(&w[0], 1),
            field(&w[1], 0),
            field(&w[1], 1),
        );
        assert!(d < 370.0, "{} -> {}", w[0], w[1]);
    }
    // Nothing from the future.
    let now = unix_now();
    let future = playback_pages(&c, &imei, now + 60, now + 7200).await;
    assert!(future[0].is_empty());
}

#[tokio::test]
async fn the_same_seed_gives_the_same_history() {
    let (sim_a, a) = demo(SimConfig::default()).await;
    let (_sim_b, b) = demo(SimConfig::default()).await;
    let (_sim_c, c) = demo(SimConfig {
        seed: 8,
        ..SimConfig::default()
    })
    .await;
    let end = unix_now() - 7200;
    let begin = end - 2 * 86_400;
    let imeis = sim_a.imeis();
    let x = playback_pages(&a, &imeis[0], begin, end).await;
    let y = playback_pages(&b, &imeis[0], begin, end).await;
    assert_eq!(x, y);
    assert!(x.iter().map(Vec::len).sum::<usize>() > 10_000);
    let other = c.get("/api/device/list", &[]).await;
    let other_imei = other["record"][0]["imei"].as_str().unwrap().to_owned();
    assert_ne!(other_imei, imeis[0], "another seed, another fleet");
    let z = playback_pages(&c, &other_imei, begin, end).await;
    assert_ne!(
        x[0].iter().take(50).collect::<Vec<_>>(),
        z[0].iter().take(50).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn relay_1_stops_the_vehicle_and_relay_0_restores_it() {
    let (sim, c) = demo(SimConfig {
        command_reply_delay: Duration::from_millis(300),
        ..SimConfig::default()
    })
    .await;
    let imei = sim.imeis()[0].clone();
    let sent = c
        .post(
            "/api/command/send",
            &[("imei", imei.clone()), ("command", "RELAY,1".into())],
        )
        .await;
    assert_eq!(code(&sent), 0, "{sent}");
    let id = sent["record"]["commandid"].as_str().unwrap().to_owned();
    let q = c
        .post("/api/command/query", &[("commandid", id.clone())])
        .await;
    assert_eq!(q["record"]["commandstatus"], 0, "not answered yet");
    tokio::time::sleep(Duration::from_millis(350)).await;
    let q = c.post("/api/command/query", &[("commandid", id)]).await;
    assert_eq!(q["record"]["commandstatus"], 1);
    let reply = q["record"]["response"].as_str().unwrap();
    assert!(
        reply.starts_with("Cut off the fuel supply: Success! Speed: ") && reply.ends_with("km/h."),
        "{reply}"
    );
    let cut_at = unix_now();

    // Ten minutes later the vehicle stands where it was when the fuel was cut.
    sim.advance_clock(Duration::from_secs(600));
    let t = c.get("/api/track", &[("imeis", imei.clone())]).await;
    let t = &t["record"][0];
    assert_eq!(t["oilpowerstatus"], 0);
    assert_eq!(t["speed"], 0);
    assert!(t["gpstime"].as_i64().unwrap() > cut_at + 500);
    let pages = playback_pages(&c, &imei, cut_at + 2, cut_at + 600).await;
    let after = distinct(&pages);
    assert!(after.len() > 50);
    for r in &after {
        assert_eq!(field(r, 3), 0.0, "speed after the cut: {r}");
        assert_eq!(
            (field(r, 0), field(r, 1)),
            (field(&after[0], 0), field(&after[0], 1))
        );
    }

    let sent = c
        .post(
            "/api/command/send",
            &[("imei", imei.clone()), ("command", "RELAY,0".into())],
        )
        .await;
    assert_eq!(code(&sent), 0);
    let t = c.get("/api/track", &[("imeis", imei)]).await;
    assert_eq!(t["record"][0]["oilpowerstatus"], 1);
}

#[tokio::test]
async fn commands_answer_like_devices_do() {
    let (sim, c) = demo(SimConfig {
        command_reply_delay: Duration::ZERO,
        ..SimConfig::default()
    })
    .await;
    let imeis = sim.imeis();
    let track = c.get("/api/track", &[("imeis", imeis.join(","))]).await;
    let with_status = |s: i64| {
        track["record"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["datastatus"] == s)
            .map(|r| r["imei"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let send = |imei: String, cmd: &str| {
        let cmd = cmd.to_owned();
        let c = &c;
        async move {
            c.post("/api/command/send", &[("imei", imei), ("command", cmd)])
                .await
        }
    };
    for (cmd, words) in [
        ("RESET", "Reset"),
        ("LOCKDOOR", "Lock door"),
        ("UNLOCKDOOR", "Unlock door"),
    ] {
        let v = send(imeis[0].clone(), cmd).await;
        let id = v["record"]["commandid"].as_str().unwrap().to_owned();
        let q = c.post("/api/command/query", &[("commandid", id)]).await;
        assert!(
            q["record"]["response"].as_str().unwrap().starts_with(words),
            "{q}"
        );
    }
    assert_eq!(code(&send(imeis[0].clone(), "FLY,1").await), 20048);
    assert_eq!(code(&send(with_status(4), "RELAY,1").await), 20017);
    assert_eq!(code(&send(with_status(1), "RESET").await), 20017);
    assert_eq!(code(&send(with_status(3), "RESET").await), 20046);
    assert_eq!(code(&send(with_status(5), "RESET").await), 20089);
    let q = c
        .post("/api/command/query", &[("commandid", "NOPE".into())])
        .await;
    assert_eq!(code(&q), 20005);
}

#[tokio::test]
async fn geofence_alarms_appear_once_the_fence_is_crossed() {
    let (sim, c) = demo(SimConfig::default()).await;
    let imei = sim.imeis()[0].clone();
    let now = unix_now();
    // A drive eastwards through (113.95, 22.55): from 1.5 km west to 1.5 km east, 15 m/s.
    let points: Vec<(f64, f64, i64, i64, i64)> = (0..=20)
        .map(|i| {
            (
                113.935 + 0.0015 * f64::from(i),
                22.55,
                now + 10 + 10 * i64::from(i),
                54,
                90,
            )
        })
        .collect();
    sim.set_history(&imei, points);
    let fence = |name: &str, alarm: i64| {
        [
            ("imei", imei.clone()),
            ("efencename", name.to_owned()),
            ("alarmtype", alarm.to_string()),
            ("longitude", "113.95".to_owned()),
            ("latitude", "22.55".to_owned()),
            ("radius", "500".to_owned()),
        ]
    };
    assert_eq!(
        code(&c.post("/api/geofence/create", &fence("depot", 2)).await),
        0
    );
    assert_eq!(
        code(&c.post("/api/geofence/create", &fence("gate", 1)).await),
        0
    );
    let mut bad = fence("huge", 2);
    bad[5].1 = "5001".into();
    assert_eq!(code(&c.post("/api/geofence/create", &bad).await), 10006);
    let g = sim.geofences();
    assert_eq!(g.len(), 2);
    assert_eq!(
        (g[0].name.as_str(), g[0].alarm_type, g[0].radius),
        ("depot", 2, 500)
    );

    let v = c
        .get(
            "/api/alarm/list",
            &[
                ("imei", imei.clone()),
                ("begintime", (now - 60).to_string()),
                ("endtime", (now + 600).to_string()),
            ],
        )
        .await;
    let rec = v["record"].as_str().unwrap();
    let alarms: Vec<Vec<f64>> = rec
        .split(';')
        .map(|a| a.split(',').map(|x| x.parse().unwrap()).collect())
        .collect();
    let kinds: Vec<(i64, i64)> = alarms.iter().map(|a| (a[0] as i64, a[7] as i64)).collect();
    // Fence 1 (in/out): in then out; fence 2 (in only): in.
    assert_eq!(kinds.iter().filter(|k| **k == (5, 1)).count(), 1, "{rec}");
    assert_eq!(kinds.iter().filter(|k| **k == (6, 1)).count(), 1, "{rec}");
    assert_eq!(kinds.iter().filter(|k| **k == (5, 2)).count(), 1, "{rec}");
    assert_eq!(kinds.len(), 3, "{rec}");
    let entry = alarms.iter().find(|a| a[0] == 5.0).unwrap();
    let exit = alarms.iter().find(|a| a[0] == 6.0).unwrap();
    assert!(entry[3] < exit[3]);
    assert!(etrack_sim::distance_m(entry[1], entry[2], 113.95, 22.55) <= 500.0);
    assert!(etrack_sim::distance_m(exit[1], exit[2], 113.95, 22.55) > 500.0);
    assert!(
        alarms.iter().all(|a| a[4] >= a[3]),
        "system time after GPS time"
    );
}

#[tokio::test]
async fn alarm_pages_chain_on_system_time_with_the_boundary_repeated() {
    let (sim, c) = demo(SimConfig::default()).await;
    let imei = sim.imeis()[0].clone();
    let end = unix_now();
    let mut from = end - 7 * 86_400;
    let mut pages: Vec<Vec<String>> = Vec::new();
    loop {
        let v = c
            .get(
                "/api/alarm/list",
                &[
                    ("imei", imei.clone()),
                    ("begintime", from.to_string()),
                    ("endtime", end.to_string()),
                ],
            )
            .await;
        let page: Vec<String> = v["record"]
            .as_str()
            .unwrap()
            .split(';')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let full = page.len() == 100;
        if let Some(last) = page.last() {
            from = field(last, 4) as i64;
        }
        if let (Some(prev), Some(first)) = (pages.last().and_then(|p| p.last()), page.first()) {
            assert_eq!(prev, first, "boundary record repeated");
        }
        pages.push(page);
        if !full {
            break;
        }
    }
    assert!(
        pages.len() >= 3,
        "a busy taxi raises hundreds of alarms a week"
    );
    let all = distinct(&pages);
    let sys: Vec<i64> = all.iter().map(|a| field(a, 4) as i64).collect();
    assert!(sys.windows(2).all(|w| w[0] <= w[1]));
    let kinds: std::collections::HashSet<i64> = all.iter().map(|a| field(a, 0) as i64).collect();
    assert!(
        kinds.contains(&9) && kinds.contains(&10) && kinds.contains(&7),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn mileage_is_the_sum_of_playback_distances_and_checks_its_period() {
    let (sim, c) = demo(SimConfig::default()).await;
    let imeis = sim.imeis();
    // Six hours of the taxi's working day, whatever the hour of the run: 10:00 to 16:00 Shenzhen.
    let offset = secs_until_shenzhen_hour(unix_now(), 17);
    sim.advance_clock(Duration::from_secs(offset as u64));
    let end = (unix_now() + offset - 3600) / 1800 * 1800;
    let begin = end - 6 * 3600;
    let v = c
        .get(
            "/api/device/mileage",
            &[
                ("imeis", imeis[..3].join(",")),
                ("begintime", begin.to_string()),
                ("endtime", end.to_string()),
            ],
        )
        .await;
    assert_eq!(code(&v), 0, "{v}");
    let list = v["record"].as_array().unwrap();
    assert_eq!(list.len(), 3);
    for (i, m) in list.iter().enumerate() {
        assert_eq!(m["imei"], imeis[i].as_str());
        // begintime included, endtime excluded.
        let pts = distinct(&playback_pages(&c, &imeis[i], begin, end - 1).await);
        let sum: f64 = pts
            .windows(2)
            .map(|w| {
                etrack_sim::distance_m(
                    field(&w[0], 0),
                    field(&w[0], 1),
                    field(&w[1], 0),
                    field(&w[1], 1),
                )
            })
            .sum::<f64>()
            / 1000.0;
        let km = m["mileage"].as_f64().unwrap();
        assert!((km - sum).abs() <= 0.005 + 1e-9, "{km} vs {sum}");
    }
    assert!(
        list[0]["mileage"].as_f64().unwrap() > 10.0,
        "a taxi drives in six daytime hours"
    );

    let ask = |b: i64, e: i64, n: usize| {
        let imeis = imeis.clone();
        let c = &c;
        async move {
            let many: Vec<String> = (0..n).map(|i| imeis[i % imeis.len()].clone()).collect();
            code(
                &c.get(
                    "/api/device/mileage",
                    &[
                        ("imeis", many.join(",")),
                        ("begintime", b.to_string()),
                        ("endtime", e.to_string()),
                    ],
                )
                .await,
            )
        }
    };
    assert_eq!(ask(begin + 60, end, 1).await, 10004, "not on :00/:30");
    assert_eq!(ask(begin, end + 900, 1).await, 10004, "not on :00/:30");
    assert_eq!(ask(end, begin, 1).await, 10004, "begin after end");
    assert_eq!(
        ask(end - 7 * 86_400 - 1800, end, 1).await,
        10006,
        "over 7 days"
    );
    assert_eq!(ask(end - 7 * 86_400, end, 1).await, 0, "exactly 7 days");
}

#[tokio::test]
async fn requests_are_checked_like_the_provider_does() {
    let (sim, c) = demo(SimConfig::default()).await;
    let imeis = sim.imeis();
    let track = c.get("/api/track", &[("imeis", imeis.join(","))]).await;
    let never = track["record"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["datastatus"] == 1)
        .map(|r| r["imei"].as_str().unwrap().to_owned())
        .unwrap();
    let (status, body) = c.raw("GET", "/api/nothing", &[]).await;
    assert_eq!((status, body.contains("10001")), (404, true));
    let (status, _) = c
        .raw("POST", "/api/track", &[("access_token", c.token.clone())])
        .await;
    assert_eq!(status, 405);
    let (_, body) = c
        .raw("GET", "/api/track", &[("imeis", imeis[0].clone())])
        .await;
    assert!(body.contains("10005"), "no token: {body}");
    let many: Vec<String> = (0..101)
        .map(|i| format!("{:015}", 100_000_000_000_000u64 + i))
        .collect();
    assert_eq!(
        code(&c.get("/api/track", &[("imeis", many.join(","))]).await),
        10006
    );
    assert_eq!(
        code(
            &c.get("/api/device/detail", &[("imeis", many.join(","))])
                .await
        ),
        10006
    );
    assert_eq!(
        code(&c.get("/api/track", &[("imeis", "12345x".into())]).await),
        10004
    );
    assert_eq!(
        code(
            &c.get("/api/track", &[("imeis", "123456789012345".into())])
                .await
        ),
        10013
    );
    let range = |imei: &str| {
        [
            ("imei", imei.to_owned()),
            ("begintime", "1700000000".into()),
            ("endtime", "1700003600".into()),
        ]
    };
    assert_eq!(
        code(&c.get("/api/playback", &range("123456789012345")).await),
        20005
    );
    assert_eq!(code(&c.get("/api/playback", &range(&never)).await), 20023);
    let mut backwards = range(&imeis[0]);
    backwards[1].1 = "1700009999".into();
    assert_eq!(code(&c.get("/api/playback", &backwards).await), 10004);
    let msg = |to: String, text: String| [("accounts", to), ("content", text)];
    assert_eq!(
        code(
            &c.post(
                "/api/message/send",
                &msg("demo-east".into(), "x".repeat(301))
            )
            .await
        ),
        10006
    );
    let crowd = vec!["demo-east"; 201].join(",");
    assert_eq!(
        code(&c.post("/api/message/send", &msg(crowd, "hi".into())).await),
        10006
    );
    assert_eq!(
        code(
            &c.post(
                "/api/message/send",
                &msg("demo-east,demo-west".into(), "x".repeat(300))
            )
            .await
        ),
        0
    );
    assert_eq!(sim.messages().len(), 1);
    assert_eq!(sim.messages()[0].to, vec!["demo-east", "demo-west"]);
    let detail = c
        .get(
            "/api/device/detail",
            &[("imeis", format!("{},{}", imeis[1], imeis[0]))],
        )
        .await;
    assert_eq!(detail["record"][0]["imei"], imeis[1].as_str());
    assert_eq!(detail["record"][1]["imei"], imeis[0].as_str());
}

#[tokio::test]
async fn sub_accounts_see_their_part_and_can_be_blocked() {
    let (sim, c) = demo(SimConfig::default()).await;
    let users = c.get("/api/user/list", &[]).await;
    let names: Vec<&str> = users["record"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["account"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "demo",
            "demo-east",
            "demo-west",
            "demo-virtual",
            "demo-blocked"
        ]
    );
    let all = c.get("/api/device/list", &[]).await["record"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(all, 40);

    let mut east = Client::new(&sim);
    east.login("demo-east").await;
    let mine = east.get("/api/device/list", &[]).await;
    let mine: Vec<String> = mine["record"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["imei"].as_str().unwrap().to_owned())
        .collect();
    assert!(!mine.is_empty() && mine.len() < all);
    let foreign = sim.imeis().into_iter().find(|i| !mine.contains(i)).unwrap();
    assert_eq!(
        code(&east.get("/api/track", &[("imeis", foreign)]).await),
        10013
    );
    assert_eq!(
        code(
            &east
                .get("/api/user/info", &[("account", "demo-west".into())])
                .await
        ),
        10007
    );
    assert_eq!(
        code(
            &east
                .post("/api/user/block", &[("account", "demo-west".into())])
                .await
        ),
        10007
    );

    let mut virt = Client::new(&sim);
    virt.login("demo-virtual").await;
    let v = virt
        .post(
            "/api/command/send",
            &[("imei", mine[0].clone()), ("command", "RESET".into())],
        )
        .await;
    assert_eq!(code(&v), 10007);

    assert_eq!(
        code(
            &c.post("/api/user/block", &[("account", "demo-east".into())])
                .await
        ),
        0
    );
    assert_eq!(
        code(&east.get("/api/device/list", &[]).await),
        10016,
        "its token stops working"
    );
    let now = unix_now();
    assert_eq!(
        code(&east.authorize_at("demo-east", DEMO_PASSWORD, now).await),
        10016
    );
    let info = c
        .get("/api/user/info", &[("account", "demo-east".into())])
        .await;
    assert_eq!(info["record"]["blockstatus"], 0);
    assert_eq!(
        code(
            &c.post("/api/user/unblock", &[("account", "demo-east".into())])
                .await
        ),
        0
    );
    east.login("demo-east").await;
    assert_eq!(code(&east.get("/api/device/list", &[]).await), 0);
    assert_eq!(
        code(
            &c.post("/api/user/block", &[("account", "demo".into())])
                .await
        ),
        10007
    );
    assert_eq!(
        code(
            &c.post("/api/user/block", &[("account", "ghost".into())])
                .await
        ),
        20005
    );
}

#[tokio::test]
async fn faults_are_injected_on_request() {
    let (sim, c) = demo(SimConfig::default()).await;
    let imei = sim.imeis()[0].clone();
    let track = [("imeis", imei.clone())];
    sim.inject_reply("/api/track", 200, "this is not json", 1);
    sim.inject_reply("/api/track", 502, "", 1);
    let with_token = [("access_token", c.token.clone()), ("imeis", imei.clone())];
    assert_eq!(
        c.raw("GET", "/api/track", &with_token).await,
        (200, "this is not json".into())
    );
    assert_eq!(c.raw("GET", "/api/track", &with_token).await.0, 502);
    assert_eq!(code(&c.get("/api/track", &track).await), 0);

    sim.set_server_error_share(1.0);
    assert_eq!(c.raw("GET", "/api/track", &with_token).await.0, 500);
    sim.set_server_error_share(0.0);
    sim.set_too_frequent_share(1.0);
    assert_eq!(code(&c.get("/api/track", &track).await), 10009);
    let auth = c.authorize_at("demo", DEMO_PASSWORD, unix_now()).await;
    assert_eq!(code(&auth), 10009, "authorization is throttled too");
    sim.set_too_frequent_share(0.0);

    sim.set_latency(Duration::from_millis(150));
    let t0 = Instant::now();
    assert_eq!(code(&c.get("/api/track", &track).await), 0);
    assert!(t0.elapsed() >= Duration::from_millis(150));
    sim.set_latency(Duration::ZERO);

    // Parameters are read from the query string and from a form body alike; all is logged.
    sim.clear_log();
    let r = reqwest::Client::new()
        .post(format!("{}/api/command/send", sim.base_url()))
        .query(&[("access_token", c.token.clone())])
        .form(&[("imei", imei.as_str()), ("command", "RESET")])
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(code(&v), 0, "{v}");
    let log = sim.request_log();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].method.as_str(), log[0].path.as_str()),
        ("POST", "/api/command/send")
    );
    assert!(log[0]
        .params
        .contains(&("command".to_owned(), "RESET".to_owned())));
    assert!(log[0].params.iter().any(|(k, _)| k == "access_token"));
}

#[tokio::test]
async fn a_fleet_of_500_is_tracked_in_batches_of_100_quickly() {
    let (sim, c) = demo(SimConfig {
        devices: 500,
        ..SimConfig::default()
    })
    .await;
    let imeis = sim.imeis();
    assert_eq!(imeis.len(), 500);
    let idle = [PARKED_NAME, SEASONAL_NAME].map(|n| sim.imei_of(n).unwrap());
    // The demo fleet keeps office hours (and a lunch break): look at it at 10:00 Shenzhen time,
    // whatever the hour of the run.
    let offset = secs_until_shenzhen_hour(unix_now(), 10);
    sim.advance_clock(Duration::from_secs(offset as u64));
    let list = c.get("/api/device/list", &[]).await;
    assert_eq!(list["record"].as_array().unwrap().len(), 500);
    let t0 = Instant::now();
    let mut moving = 0;
    for _round in 0..2 {
        moving = 0;
        for batch in imeis.chunks(100) {
            let v = c.get("/api/track", &[("imeis", batch.join(","))]).await;
            let recs = v["record"].as_array().unwrap();
            assert_eq!(recs.len(), 100);
            let now = unix_now() + offset;
            for (r, imei) in recs.iter().zip(batch) {
                assert_eq!(r["imei"], imei.as_str(), "in the order asked");
                if r["datastatus"] == 2 {
                    let gps = r["gpstime"].as_i64().unwrap();
                    let heart = r["hearttime"].as_i64().unwrap();
                    if idle.contains(imei) {
                        // Asleep: an old fix, a heartbeat every 5 minutes.
                        assert!(now - heart <= 305 && now - gps > 86_400, "{r}");
                    } else {
                        assert!(now - gps <= 25, "live fix {gps} at {now}");
                    }
                    assert!(heart >= gps);
                    assert!((113.7..114.2).contains(&r["longitude"].as_f64().unwrap()));
                    assert!((22.4..22.8).contains(&r["latitude"].as_f64().unwrap()));
                }
                if r["speed"].as_i64().unwrap() > 0 {
                    moving += 1;
                }
            }
        }
    }
    let elapsed = t0.elapsed();
    assert!(elapsed < Duration::from_secs(8), "{elapsed:?}");
    assert!(moving > 20, "only {moving} of 500 moving at 10:00");
}

/// Seconds from `now` to the next time it is `hour`:00 in Shenzhen (UTC+8), at most a day.
fn secs_until_shenzhen_hour(now: i64, hour: i64) -> i64 {
    let local = (now + 8 * 3600).rem_euclid(86_400);
    (hour * 3600 - local).rem_euclid(86_400)
}

/// Unix time of the Shenzhen (UTC+8) midnight starting the day of `t`.
fn shenzhen_midnight(t: i64) -> i64 {
    (t + 8 * 3600).div_euclid(86_400) * 86_400 - 8 * 3600
}

#[tokio::test]
async fn the_parked_trailer_has_an_empty_month_of_playback_and_a_fresh_heartbeat() {
    let (sim, c) = demo(SimConfig::default()).await;
    let imei = sim.imei_of(PARKED_NAME).unwrap();
    assert_eq!(imei, sim.imeis()[PARKED_INDEX]);
    let now = unix_now();
    for days in [30, 31] {
        let pages = playback_pages(&c, &imei, now - days * 86_400, now).await;
        assert_eq!(pages, vec![Vec::<String>::new()], "one request, no data");
    }
    // Online, parked with the engine off since its last fix more than 32 days ago; the tracker
    // sleeps but sends a heartbeat every 5 minutes.
    let t = c.get("/api/track", &[("imeis", imei.clone())]).await;
    let t = &t["record"][0];
    assert_eq!(t["datastatus"], 2);
    let gps = t["gpstime"].as_i64().unwrap();
    assert!(now - gps > 32 * 86_400, "last fix {gps}");
    assert!(now - t["hearttime"].as_i64().unwrap() <= 305, "{t}");
    assert_eq!(
        (t["speed"].as_i64(), t["accstatus"].as_i64()),
        (Some(0), Some(0))
    );
    assert!(t["acctime"].as_i64().unwrap() > 32 * 86_400, "{t}");
    // The track shows where the last fix was.
    let last = distinct(&playback_pages(&c, &imei, gps - 3600, gps).await);
    let last = last.last().unwrap();
    assert_eq!(field(last, 2) as i64, gps);
    assert_eq!(
        (field(last, 0), field(last, 1)),
        (
            t["longitude"].as_f64().unwrap(),
            t["latitude"].as_f64().unwrap()
        )
    );
    // No alarms and no mileage either while parked.
    let week = [
        ("imei", imei.clone()),
        ("imeis", imei.clone()),
        ("begintime", ((now - 7 * 86_400) / 1800 * 1800).to_string()),
        ("endtime", (now / 1800 * 1800).to_string()),
    ];
    let alarms = c.get("/api/alarm/list", &week).await;
    assert_eq!((code(&alarms), alarms["record"].as_str()), (0, Some("")));
    let km = c.get("/api/device/mileage", &week).await;
    assert_eq!(km["record"][0]["mileage"].as_f64(), Some(0.0), "{km}");
}

#[tokio::test]
async fn the_seasonal_loader_reports_on_its_three_days_of_the_month_only() {
    let (sim, c) = demo(SimConfig::default()).await;
    let imei = sim.imei_of(SEASONAL_NAME).unwrap();
    assert_eq!(imei, sim.imeis()[SEASONAL_INDEX]);
    let worked = sim.seasonal_days(&imei);
    assert_eq!(worked.len(), 3, "{worked:?}");
    let today = shenzhen_midnight(unix_now());
    let mut with_data = Vec::new();
    for k in 1..=30 {
        let day = today - k * 86_400;
        let all = distinct(&playback_pages(&c, &imei, day, day + 86_399).await);
        if !all.is_empty() {
            with_data.push(day);
            // A whole day of reports, working: it drives.
            assert!(all.len() > 4000, "{} records", all.len());
            assert!(all.iter().any(|r| field(r, 3) > 10.0));
        }
    }
    with_data.sort_unstable();
    assert_eq!(with_data, worked);
    // A month in one chain: only the working days' records.
    let month = distinct(&playback_pages(&c, &imei, today - 30 * 86_400, unix_now()).await);
    assert!(month
        .iter()
        .all(|r| worked.contains(&shenzhen_midnight(field(r, 2) as i64))));
    // Asleep since its last working day: its last fix then, a fresh heartbeat now.
    let t = c.get("/api/track", &[("imeis", imei)]).await;
    let t = &t["record"][0];
    assert_eq!(t["datastatus"], 2);
    assert_eq!(
        t["gpstime"].as_i64(),
        Some(field(month.last().unwrap(), 2) as i64)
    );
    assert!(unix_now() - t["hearttime"].as_i64().unwrap() <= 305, "{t}");
}

#[tokio::test]
async fn live_positions_follow_the_clock() {
    let (sim, c) = demo(SimConfig::default()).await;
    let imei = sim.imeis()[0].clone();
    let t1 = c.get("/api/track", &[("imeis", imei.clone())]).await["record"][0].clone();
    // An hour later a taxi has moved (or at night, its report time has).
    sim.advance_clock(Duration::from_secs(3600));
    let t2 = c.get("/api/track", &[("imeis", imei)]).await["record"][0].clone();
    let dt = t2["gpstime"].as_i64().unwrap() - t1["gpstime"].as_i64().unwrap();
    assert!((3590..=3610).contains(&dt), "{dt}");
    assert!(t2["mileage"].as_i64().unwrap() >= t1["mileage"].as_i64().unwrap());
    assert!(t2["servertime"].as_i64().unwrap() - t1["servertime"].as_i64().unwrap() >= 3600);
}

#[tokio::test]
async fn extreme_numbers_get_error_codes_not_crashes() {
    let (sim, c) = demo(SimConfig::default()).await;
    let imei = sim.imeis()[0].clone();
    let (max, min) = (i64::MAX.to_string(), i64::MIN.to_string());
    let span = |b: &str, e: &str| {
        [
            ("imei", imei.clone()),
            ("imeis", imei.clone()),
            ("begintime", b.to_owned()),
            ("endtime", e.to_owned()),
        ]
    };
    let v = c
        .get("/api/playback", &span(&(i64::MAX - 5).to_string(), &max))
        .await;
    assert_eq!((code(&v), v["record"].as_str()), (0, Some("")));
    let v = c.get("/api/alarm/list", &span("0", &max)).await;
    assert_eq!(code(&v), 0);
    assert_eq!(code(&c.get("/api/playback", &span(&min, "0")).await), 10004);
    assert_eq!(
        code(&c.get("/api/device/mileage", &span(&min, &max)).await),
        10004
    );
    assert_eq!(
        code(
            &c.get(
                "/api/device/mileage",
                &span("-9223372036854775800", "9223372036854775800")
            )
            .await
        ),
        10006
    );
    assert_eq!(
        code(&c.get("/api/playback", &span("1e9", "2e9")).await),
        10004
    );
    assert_eq!(
        code(&c.authorize_at("demo", DEMO_PASSWORD, i64::MIN).await),
        10014
    );
    let v = c
        .post(
            "/api/geofence/create",
            &[
                ("imei", imei.clone()),
                ("efencename", "nan".into()),
                ("alarmtype", "2".into()),
                ("longitude", "NaN".into()),
                ("latitude", "22.5".into()),
                ("radius", "300".into()),
            ],
        )
        .await;
    assert_eq!(code(&v), 10004);
}

#[tokio::test]
async fn a_week_of_ten_second_reports_is_cheap_to_page_through() {
    let (sim, c) = demo(SimConfig::default()).await;
    let imei = sim.imeis()[0].clone();
    let end = unix_now() - 60;
    let begin = end - 7 * 86_400;
    let t0 = Instant::now();
    let pages = playback_pages(&c, &imei, begin, end).await;
    let elapsed = t0.elapsed();
    let all = distinct(&pages);
    assert!((60_479..=60_481).contains(&all.len()), "{}", all.len());
    assert_eq!(pages.len(), 61);
    // Each page computes only its own window: 61 pages in well under the time of one full scan
    // per page (which took seconds per page in a debug build).
    assert!(elapsed < Duration::from_secs(6), "{elapsed:?}");
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let (sim, c) = demo(SimConfig::default()).await;
    assert_eq!(code(&c.get("/api/device/list", &[]).await), 0);
    sim.clone().shutdown();
    let mut refused = false;
    for _ in 0..50 {
        let fresh = reqwest::Client::new();
        if fresh
            .get(format!("{}/api/device/list", sim.base_url()))
            .send()
            .await
            .is_err()
        {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(refused, "still answering after shutdown");
}
