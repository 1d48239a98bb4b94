//! Telling the user about new alarms: desktop notifications (one each, or one summary for a
//! burst) and the in-app list and badge.

use super::{
    lock, AlarmWatcher, AlarmsNewEvent, DesktopNotice, WatchSession, WatchStatus, WatchedAlarm,
};
use crate::alarms::{alarm_id, is_geofence_alarm};
use crate::live::now_ms;
use etrack::Alarm;
use std::collections::HashMap;

/// More new alarms than this from one read make one summary notification instead of one each.
const MAX_SINGLE_NOTIFICATIONS: usize = 3;
/// Notified alarms kept for the in-app list.
const MAX_RECENT: usize = 100;

/// Where the watcher's news goes: the desktop and the webview in the app, collectors in tests.
pub trait AlarmNotifier: Send + Sync + 'static {
    /// Raises a desktop notification; an error says why it could not be (it must not block).
    fn desktop(&self, title: &str, body: &str) -> Result<(), String>;
    /// New alarms for the in-app badge and list.
    fn new_alarms(&self, event: &AlarmsNewEvent);
    /// The watcher's state changed.
    fn status(&self, status: &WatchStatus);
}

impl AlarmWatcher {
    /// Tells the user: desktop notifications, then the in-app list and badge.
    pub(super) fn raise(
        &self,
        sess: &WatchSession,
        imei: &str,
        names: &HashMap<String, String>,
        fresh: Vec<Alarm>,
    ) {
        let vehicle = names.get(imei).cloned().unwrap_or_else(|| imei.to_owned());
        let noticed_ms = now_ms();
        let mut out: Vec<WatchedAlarm> = fresh
            .into_iter()
            .map(|alarm| {
                let geofence_name = match &self.geofences {
                    Some(store) if is_geofence_alarm(&alarm) => {
                        store.name_near_edge(&sess.owner, imei, alarm.latitude, alarm.longitude)
                    }
                    _ => None,
                };
                WatchedAlarm {
                    id: alarm_id(imei, &alarm),
                    imei: imei.to_owned(),
                    vehicle: vehicle.clone(),
                    words: alarm.alarm_type.words().to_owned(),
                    alarm,
                    geofence_name,
                    noticed_ms,
                    desktop: DesktopNotice::Raised,
                    desktop_error: None,
                }
            })
            .collect();

        let words = self.notice_words();
        let shown: Vec<(String, String)> = if out.len() <= MAX_SINGLE_NOTIFICATIONS {
            out.iter()
                .map(|w| words.single(&w.vehicle, &w.alarm, w.geofence_name.as_deref()))
                .collect()
        } else {
            let alarms: Vec<&Alarm> = out.iter().map(|w| &w.alarm).collect();
            vec![words.summary(&vehicle, &alarms)]
        };
        let mut failure: Option<String> = None;
        for (title, text) in &shown {
            if let Err(e) = self.notifier.desktop(title, text) {
                tracing::info!("desktop notification not shown: {e}");
                failure = Some(e);
            }
        }
        if let Some(e) = failure {
            for w in &mut out {
                w.desktop = DesktopNotice::Failed;
                w.desktop_error = Some(e.clone());
            }
        }

        let unread = {
            let mut run = lock(&self.run);
            run.unread = run
                .unread
                .saturating_add(u32::try_from(out.len()).unwrap_or(u32::MAX));
            for w in &out {
                run.recent.push_front(w.clone());
            }
            run.recent.truncate(MAX_RECENT);
            run.unread
        };
        self.notifier.new_alarms(&AlarmsNewEvent {
            alarms: out,
            unread,
        });
    }
}
