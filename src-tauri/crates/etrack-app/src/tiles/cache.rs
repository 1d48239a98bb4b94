//! The tile cache: one file per tile under `<data>/tiles/<source>/<z>/<x>/<y>.tile`, where
//! `<source>` is 16 hex digits of a hash of the layer's URL template (a custom map whose URL
//! changes starts afresh). Each file is a one-line header (`etrack-tile 1 <fetched unix secs>
//! <body length> <content type>`) and the image; a file whose header or length does not match is a
//! miss. Writes go to a temporary file that is renamed into place. The total size is counted once
//! (at first use) and kept up to date; past the cap, the least recently used tiles (file mtime,
//! refreshed on each read) go until the cache is at 90% of it.
//!
//! Every method does blocking file work: call it from a blocking thread.

use serde::{Deserialize, Serialize};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use ts_rs::TS;

const MAGIC: &str = "etrack-tile 1";
const EXT: &str = "tile";
const TMP_EXT: &str = "tmp";
/// A temporary file older than this is a write that never finished.
const STALE_TEMP: Duration = Duration::from_secs(600);

/// How big the cache is, for Settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TileCacheInfo {
    /// Bytes on disk.
    pub bytes: u64,
    /// The cap, in bytes.
    pub limit_bytes: u64,
    /// Tiles kept.
    pub tiles: u64,
}

/// A tile read from the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedTile {
    /// The image.
    pub bytes: Vec<u8>,
    /// Its content type (`image/png`).
    pub content_type: String,
    /// When it was fetched from its server.
    pub fetched: SystemTime,
}

impl CachedTile {
    /// Whether it was fetched more than `max_age` ago (or in the future: a clock moved back).
    pub fn is_older_than(&self, max_age: Duration) -> bool {
        SystemTime::now()
            .duration_since(self.fetched)
            .map_or(true, |age| age > max_age)
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Totals {
    bytes: u64,
    tiles: u64,
}

/// The disk cache of tiles.
pub struct TileCache {
    root: PathBuf,
    limit: AtomicU64,
    /// `None` until the files on disk are counted.
    totals: Mutex<Option<Totals>>,
    temp_counter: AtomicU64,
}

/// 16 hex digits naming a URL template's directory (FNV-1a: stable across Rust versions).
pub fn source_key(template: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in template.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A content type as stored in the header: its media type, lowercase, without parameters, or
/// `None` when it is not something to keep.
fn clean_content_type(raw: &str) -> Option<String> {
    let t = raw.split(';').next()?.trim().to_ascii_lowercase();
    let ok = !t.is_empty() && t.len() <= 100 && t.bytes().all(|b| b.is_ascii_graphic());
    ok.then_some(t)
}

impl TileCache {
    /// The cache in `root` (created when the first tile is written), capped at `limit_bytes`.
    pub fn open(root: PathBuf, limit_bytes: u64) -> Self {
        Self {
            root,
            limit: AtomicU64::new(limit_bytes),
            totals: Mutex::new(None),
            temp_counter: AtomicU64::new(0),
        }
    }

    /// Its directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where tile `z`/`x`/`y` of the source `template` lives.
    pub fn tile_path(&self, template: &str, z: u8, x: u32, y: u32) -> PathBuf {
        self.root
            .join(source_key(template))
            .join(z.to_string())
            .join(x.to_string())
            .join(format!("{y}.{EXT}"))
    }

    fn lock(&self) -> MutexGuard<'_, Option<Totals>> {
        self.totals.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The totals, counted from the disk the first time.
    fn totals<'a>(&self, guard: &'a mut MutexGuard<'_, Option<Totals>>) -> &'a mut Totals {
        guard.get_or_insert_with(|| {
            let files = self.scan();
            Totals {
                bytes: files.iter().map(|f| f.len).sum(),
                tiles: files.len() as u64,
            }
        })
    }

    /// Every tile file on disk; leftover temporary files are removed.
    fn scan(&self) -> Vec<FileEntry> {
        let mut out = Vec::new();
        let mut dirs = vec![self.root.clone()];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let path = e.path();
                let Ok(meta) = e.metadata() else { continue };
                if meta.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|x| x == EXT) {
                    out.push(FileEntry {
                        len: meta.len(),
                        used: meta.modified().unwrap_or(UNIX_EPOCH),
                        path,
                    });
                } else if path.extension().is_some_and(|x| x == TMP_EXT)
                    && meta
                        .modified()
                        .ok()
                        .and_then(|m| m.elapsed().ok())
                        .is_some_and(|age| age > STALE_TEMP)
                {
                    // A write cut short (the app was killed): never renamed into place. A young
                    // one may be a write in progress.
                    let _ = fs::remove_file(&path);
                }
            }
        }
        out
    }

    /// Size, cap and tile count.
    pub fn info(&self) -> TileCacheInfo {
        let mut g = self.lock();
        let t = *self.totals(&mut g);
        TileCacheInfo {
            bytes: t.bytes,
            limit_bytes: self.limit(),
            tiles: t.tiles,
        }
    }

    /// Bytes on disk.
    pub fn size(&self) -> u64 {
        self.info().bytes
    }

    /// The cap, in bytes.
    pub fn limit(&self) -> u64 {
        self.limit.load(Ordering::Relaxed)
    }

    /// Sets the cap; evicts at once if the cache is over it.
    pub fn set_limit(&self, limit_bytes: u64) {
        if self.limit.swap(limit_bytes, Ordering::Relaxed) == limit_bytes {
            return;
        }
        let mut g = self.lock();
        self.totals(&mut g);
        if let Some(t) = g.as_mut() {
            self.evict_if_over(t);
        }
    }

    /// Tile `z`/`x`/`y` of `template`, if a whole copy is on disk; marks it used.
    pub fn get(&self, template: &str, z: u8, x: u32, y: u32) -> Option<CachedTile> {
        let path = self.tile_path(template, z, x, y);
        let data = fs::read(&path).ok()?;
        let tile = parse(&data);
        if tile.is_none() {
            tracing::debug!("damaged tile file {}: ignored", path.display());
            return None;
        }
        // Least recently USED: a read counts. Failing to mark it only makes it go sooner.
        if let Ok(f) = fs::File::options().write(true).open(&path) {
            let _ = f.set_modified(SystemTime::now());
        }
        tile
    }

    /// Stores tile `z`/`x`/`y` of `template` (replacing any older copy), then evicts if the cache
    /// is over its cap.
    pub fn put(&self, template: &str, z: u8, x: u32, y: u32, tile: &CachedTile) -> io::Result<()> {
        let CachedTile {
            bytes,
            content_type,
            fetched,
        } = tile;
        let content_type = clean_content_type(content_type)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "unusable content type"))?;
        let path = self.tile_path(template, z, x, y);
        let dir = path
            .parent()
            .ok_or_else(|| io::Error::other("a tile path has no directory"))?;
        fs::create_dir_all(dir)?;
        let secs = fetched
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut data = format!("{MAGIC} {secs} {} {content_type}\n", bytes.len()).into_bytes();
        data.extend_from_slice(bytes);
        let n = self.temp_counter.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!("{y}.{}-{n}.{TMP_EXT}", std::process::id()));
        if let Err(e) = fs::write(&tmp, &data) {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        let mut g = self.lock();
        self.totals(&mut g);
        let old = fs::metadata(&path).ok().map(|m| m.len());
        if let Err(e) = fs::rename(&tmp, &path) {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        if let Some(t) = g.as_mut() {
            match old {
                Some(len) => t.bytes = t.bytes.saturating_sub(len),
                None => t.tiles += 1,
            }
            t.bytes += data.len() as u64;
            self.evict_if_over(t);
        }
        Ok(())
    }

    /// Removes every tile; returns the now empty cache's info.
    pub fn clear(&self) -> io::Result<TileCacheInfo> {
        let mut g = self.lock();
        let removed = match fs::remove_dir_all(&self.root) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
        // Whatever could not be removed is counted again.
        *g = None;
        let t = *self.totals(&mut g);
        removed?;
        Ok(TileCacheInfo {
            bytes: t.bytes,
            limit_bytes: self.limit(),
            tiles: t.tiles,
        })
    }

    /// Past the cap: the least recently used tiles go until the cache is at 90% of it.
    fn evict_if_over(&self, t: &mut Totals) {
        let limit = self.limit();
        if t.bytes <= limit {
            return;
        }
        let mut files = self.scan();
        // Counted afresh: files may have been removed by hand.
        t.bytes = files.iter().map(|f| f.len).sum();
        t.tiles = files.len() as u64;
        let target = limit / 10 * 9;
        files.sort_by_key(|f| f.used);
        let mut removed = 0u64;
        for f in files {
            if t.bytes <= target {
                break;
            }
            if fs::remove_file(&f.path).is_ok() {
                t.bytes = t.bytes.saturating_sub(f.len);
                t.tiles = t.tiles.saturating_sub(1);
                removed += 1;
            }
        }
        tracing::debug!(
            "tile cache over {limit} bytes: {removed} tiles evicted, {} bytes left",
            t.bytes
        );
    }
}

struct FileEntry {
    path: PathBuf,
    len: u64,
    used: SystemTime,
}

/// A tile file's contents, or `None` when it is not a whole one.
fn parse(data: &[u8]) -> Option<CachedTile> {
    let end = data.iter().take(256).position(|b| *b == b'\n')?;
    let header = std::str::from_utf8(&data[..end]).ok()?;
    let rest = header.strip_prefix(MAGIC)?.strip_prefix(' ')?;
    let mut parts = rest.split(' ');
    let secs: u64 = parts.next()?.parse().ok()?;
    let len: usize = parts.next()?.parse().ok()?;
    let content_type = clean_content_type(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    let body = &data[end + 1..];
    if body.len() != len {
        return None;
    }
    Some(CachedTile {
        bytes: body.to_vec(),
        content_type,
        fetched: UNIX_EPOCH + Duration::from_secs(secs),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "https://t.example/{z}/{x}/{y}.png";

    fn tile(bytes: &[u8], content_type: &str, fetched: SystemTime) -> CachedTile {
        CachedTile {
            bytes: bytes.to_vec(),
            content_type: content_type.to_owned(),
            fetched,
        }
    }

    fn age(path: &Path, secs: u64) {
        let f = fs::File::options().write(true).open(path).expect("open");
        f.set_modified(SystemTime::now() - Duration::from_secs(secs))
            .expect("set mtime");
    }

    #[test]
    fn a_tile_is_stored_and_read_back_whole() {
        let dir = tempfile::tempdir().expect("dir");
        let cache = TileCache::open(dir.path().join("tiles"), 1 << 20);
        assert_eq!(cache.info().tiles, 0);
        assert!(cache.get(T, 1, 0, 1).is_none());
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        cache
            .put(T, 1, 0, 1, &tile(b"PNGDATA", "image/png; charset=x", at))
            .expect("put");
        let t = cache.get(T, 1, 0, 1).expect("cached");
        assert_eq!(t.bytes, b"PNGDATA");
        assert_eq!(t.content_type, "image/png");
        assert_eq!(t.fetched, at);
        assert!(t.is_older_than(Duration::from_secs(7 * 86400)));
        assert!(cache.get("https://other/{z}/{x}/{y}", 1, 0, 1).is_none());
        let path = cache.tile_path(T, 1, 0, 1);
        assert!(path.starts_with(dir.path().join("tiles").join(source_key(T))));
        assert_eq!(source_key(T).len(), 16);
        let info = cache.info();
        assert_eq!(info.tiles, 1);
        assert_eq!(info.bytes, fs::metadata(&path).expect("meta").len());

        // Replacing it counts the new size, not both.
        cache
            .put(
                T,
                1,
                0,
                1,
                &tile(b"PNGDATA2", "image/png", SystemTime::now()),
            )
            .expect("put");
        assert_eq!(cache.info().tiles, 1);
        assert_eq!(cache.size(), fs::metadata(&path).expect("meta").len());
        assert!(!cache
            .get(T, 1, 0, 1)
            .expect("cached")
            .is_older_than(Duration::from_secs(60)));
    }

    #[test]
    fn damaged_files_are_misses_and_leftovers_are_swept() {
        let dir = tempfile::tempdir().expect("dir");
        let root = dir.path().join("tiles");
        let cache = TileCache::open(root.clone(), 1 << 20);
        cache
            .put(
                T,
                2,
                1,
                1,
                &tile(b"0123456789", "image/png", SystemTime::now()),
            )
            .expect("put");
        let path = cache.tile_path(T, 2, 1, 1);
        let whole = fs::read(&path).expect("read");
        for damaged in [
            &whole[..whole.len() - 3],
            &b"garbage"[..],
            &b""[..],
            &b"etrack-tile 1 x 10 image/png\n0123456789"[..],
            &b"etrack-tile 1 5 10 \n0123456789"[..],
        ] {
            fs::write(&path, damaged).expect("write");
            assert!(cache.get(T, 2, 1, 1).is_none(), "{damaged:?}");
        }
        // A temporary file of a write cut short is not counted, and is removed at the next count.
        let tmp = path.with_file_name("1.99-0.tmp");
        fs::write(&tmp, b"partial").expect("write");
        age(&tmp, 3600);
        let again = TileCache::open(root, 1 << 20);
        assert_eq!(again.info().tiles, 1);
        assert!(!tmp.exists());
    }

    #[test]
    fn the_size_is_counted_from_disk_at_open() {
        let dir = tempfile::tempdir().expect("dir");
        let root = dir.path().join("tiles");
        let cache = TileCache::open(root.clone(), 1 << 20);
        for x in 0..4 {
            cache
                .put(T, 2, x, 0, &tile(&[7; 100], "image/png", SystemTime::now()))
                .expect("put");
        }
        let before = cache.info();
        assert_eq!(before.tiles, 4);
        let reopened = TileCache::open(root, 1 << 20).info();
        assert_eq!(reopened, before);
    }

    #[test]
    fn over_the_cap_the_least_recently_used_tiles_go() {
        let dir = tempfile::tempdir().expect("dir");
        let cache = TileCache::open(dir.path().join("tiles"), 10_000);
        let body = [1u8; 950];
        for x in 0..10 {
            cache
                .put(T, 4, x, 0, &tile(&body, "image/png", SystemTime::now()))
                .expect("put");
            // Oldest first: tile 0 was used 100 s ago, tile 9 10 s ago.
            age(&cache.tile_path(T, 4, x, 0), 100 - u64::from(x) * 10);
        }
        assert!(cache.size() <= 10_000, "{}", cache.size());
        assert_eq!(cache.info().tiles, 10);
        // Reading tile 0 makes it the most recently used.
        assert!(cache.get(T, 4, 0, 0).is_some());
        for x in 10..13 {
            cache
                .put(T, 4, x, 0, &tile(&body, "image/png", SystemTime::now()))
                .expect("put");
        }
        let size = cache.size();
        assert!(size <= 10_000, "size {size} stays under the cap");
        assert!(cache.get(T, 4, 0, 0).is_some(), "the tile just read stays");
        assert!(
            cache.get(T, 4, 1, 0).is_none(),
            "the least recently used went"
        );
        assert!(cache.get(T, 4, 2, 0).is_none());
        assert!(cache.get(T, 4, 12, 0).is_some(), "the newest stays");
        let on_disk: u64 = cache.scan().iter().map(|f| f.len).sum();
        assert_eq!(on_disk, size, "the count matches the disk");
        assert!(size <= 9_000, "evicted down to 90%: {size}");

        // A lower cap evicts at once.
        cache.set_limit(3_000);
        assert!(cache.size() <= 2_700, "{}", cache.size());
        assert!(cache.get(T, 4, 12, 0).is_some());
    }

    #[test]
    fn clear_empties_the_cache() {
        let dir = tempfile::tempdir().expect("dir");
        let cache = TileCache::open(dir.path().join("tiles"), 1 << 20);
        for x in 0..3 {
            cache
                .put(T, 2, x, 0, &tile(b"img", "image/png", SystemTime::now()))
                .expect("put");
        }
        let info = cache.clear().expect("clear");
        assert_eq!((info.bytes, info.tiles, info.limit_bytes), (0, 0, 1 << 20));
        assert!(cache.get(T, 2, 0, 0).is_none());
        assert_eq!(cache.info().tiles, 0);
        // Clearing an empty (never written) cache is fine, and it works again afterwards.
        assert_eq!(cache.clear().expect("clear").tiles, 0);
        cache
            .put(T, 2, 0, 0, &tile(b"img", "image/png", SystemTime::now()))
            .expect("put");
        assert_eq!(cache.info().tiles, 1);
    }
}
