//! The endpoints of the Open API.

use crate::client::Client;
use crate::error::Result;
use crate::model::*;
use crate::options::{CommandOptions, FetchOptions, Progress};

impl Client {
    /// Latest positions.
    pub async fn track(&self, imeis: &[Imei]) -> Result<Vec<Track>> {
        let _ = imeis;
        todo!()
    }
    /// Device list.
    pub async fn device_list(&self, account: Option<&str>) -> Result<Vec<Device>> {
        let _ = account;
        todo!()
    }
    /// Device detail.
    pub async fn device_detail(&self, imeis: &[Imei]) -> Result<Vec<Device>> {
        let _ = imeis;
        todo!()
    }
    /// Playback.
    pub async fn playback(&self, imei: &Imei, range: TimeRange) -> Result<Vec<PlaybackPoint>> {
        self.playback_with(imei, range, &FetchOptions::default(), &|_| {})
            .await
    }
    /// Playback with options and progress.
    pub async fn playback_with(
        &self,
        imei: &Imei,
        range: TimeRange,
        opts: &FetchOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Vec<PlaybackPoint>> {
        let _ = (imei, range, opts, progress);
        todo!()
    }
    /// Alarms.
    pub async fn alarms(&self, imei: &Imei, range: TimeRange) -> Result<Vec<Alarm>> {
        self.alarms_with(imei, range, &FetchOptions::default(), &|_| {})
            .await
    }
    /// Alarms with options and progress.
    pub async fn alarms_with(
        &self,
        imei: &Imei,
        range: TimeRange,
        opts: &FetchOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Vec<Alarm>> {
        let _ = (imei, range, opts, progress);
        todo!()
    }
    /// Mileage.
    pub async fn mileage(&self, imeis: &[Imei], range: TimeRange) -> Result<Vec<Mileage>> {
        let _ = (imeis, range);
        todo!()
    }
    /// Create geofence.
    pub async fn create_geofence(&self, req: &GeofenceRequest) -> Result<()> {
        let _ = req;
        todo!()
    }
    /// Send command.
    pub async fn send_command(&self, imei: &Imei, cmd: &Command) -> Result<String> {
        let _ = (imei, cmd);
        todo!()
    }
    /// Query command.
    pub async fn query_command(&self, command_id: &str) -> Result<CommandStatus> {
        let _ = command_id;
        todo!()
    }
    /// Run command.
    pub async fn run_command(
        &self,
        imei: &Imei,
        cmd: &Command,
        opts: &CommandOptions,
        on_poll: &(dyn Fn(u32) + Send + Sync),
    ) -> Result<(String, CommandOutcome)> {
        let _ = (imei, cmd, opts, on_poll);
        todo!()
    }
    /// User info.
    pub async fn user_info(&self, account: &str) -> Result<UserInfo> {
        let _ = account;
        todo!()
    }
    /// User list.
    pub async fn user_list(&self, account: Option<&str>) -> Result<Vec<UserInfo>> {
        let _ = account;
        todo!()
    }
    /// Block.
    pub async fn block_user(&self, account: &str) -> Result<()> {
        let _ = account;
        todo!()
    }
    /// Unblock.
    pub async fn unblock_user(&self, account: &str) -> Result<()> {
        let _ = account;
        todo!()
    }
    /// Send message.
    pub async fn send_message(&self, accounts: &[String], content: &str) -> Result<()> {
        let _ = (accounts, content);
        todo!()
    }
}
