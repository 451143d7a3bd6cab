"""Encoding a render's videos: each format's (and cut's) scenes planned as segment jobs, the
segments encoded in the pool (a few, an edit's, in this process; or found in the segment cache), and
each video joined from them.
"""

from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Iterator, Sequence

from ..compose.frames import Motion
from ..encode.ffmpeg import Ffmpeg
from ..encode.segments import VideoSettings
from ..executor import WorkPool
from ..layout.formats import Format
from ..publish.images import scene_still
from .joined import joined_video
from .killpoint import kill_point
from .prepared import Prepared, Video
from .progress import Progress
from .request import RenderOptions
from .segment_cache import cached_segment_ok, read_still, sweep_partials
from .segment_key import segment_key
from .segment_plan import SegmentJob, opener_spans, piece_frames, piece_spans, scene_cues
from .segments import encode_unit, render_segment

__all__ = ["encode_videos", "segment_jobs", "video_settings"]


def video_settings(fmt: Format, preview: bool) -> VideoSettings:
    """How ``fmt``'s video is encoded: a preview's quick settings, else the delivery ones."""
    return VideoSettings.preview(fmt.width, fmt.height, fmt.fps) if preview else VideoSettings.delivery(
        fmt.width, fmt.height, fmt.fps
    )


def _keyed_segment_jobs(prepared: Prepared, fmt: Format, seg_dir: Path, options: RenderOptions, ffmpeg: Ffmpeg
                        ) -> list[tuple[SegmentJob, str]]:
    """The segments of ``fmt`` in scene order, each with its cache key and its place in ``seg_dir``."""
    timeline = prepared.timelines[fmt.name]
    settings = video_settings(fmt, options.preview)
    # Segments run one per core; x264 frame threads on top only add memory (~60 MB each at 1080p)
    # and contention, so each encoder gets the cores left per worker.
    cores = os.cpu_count() or 1
    settings = dataclasses.replace(settings, threads=max(1, cores // (options.jobs or cores)))
    jobs = []
    for scene, layout in zip(timeline.scenes, prepared.layouts[fmt.name]):
        motion = Motion(zoom_step=2) if options.preview else Motion()
        if prepared.social and scene.index == 0:
            motion = motion.settled()
        spans = piece_spans(scene.frames, settings.keyint, piece_frames(layout, fmt, settings.keyint))
        opens_cut = scene.index in prepared.openers and spans == [None]
        if opens_cut:
            spans = opener_spans(layout, scene.frames, settings.keyint)
        for span in spans:
            # Past its entrance a card draws the same frames with or without it: the rest of a cut's
            # opening card is the same unit (the same key) in the cut and in the full video. (Not any
            # piece: a document page's move is timed from the entrance's length.)
            settled = opens_cut and span is not None and span[0] >= motion.entrance
            job = SegmentJob(
                scene.index, layout, fmt, prepared.theme, prepared.book, scene.frames,
                scene_cues(timeline, scene, span), settings,
                fade_out_all=scene.index == len(timeline.scenes) - 1,
                out_path=Path(), ffmpeg_binary=options.ffmpeg, motion=motion.settled() if settled else motion,
                span=span,
            )
            key = segment_key(job, ffmpeg.version())
            jobs.append((dataclasses.replace(job, out_path=seg_dir / f"{key}.mp4"), key))
    return jobs


def encode_videos(videos: Sequence[Video], options: RenderOptions, ffmpeg: Ffmpeg, progress: Progress,
                   counts: dict[str, dict[str, int]], pool: WorkPool) -> Iterator[tuple[Video, list[bytes]]]:
    """Each video at its target with its scene stills (JPEG, in scene order), as soon as its
    segments are all done, so its files are written while the pool encodes the others.

    The segments of all videos (every format, every cut) share one pool of worker
    processes, heaviest first, so no core waits at the end of one video while the
    next has work; a segment several videos share is encoded once.
    """
    seg_dir = options.cache / "segments"
    seg_dir.mkdir(parents=True, exist_ok=True)
    sweep_partials(seg_dir)
    plans = {v.label: [job for job, _ in _keyed_segment_jobs(v.prepared, v.fmt, seg_dir, options, ffmpeg)]
             for v in videos}
    todo: dict[Path, SegmentJob] = {}
    waiting: dict[Path, list[str]] = {}  # a segment being encoded -> the videos to advance when it is done
    for label, jobs in plans.items():
        progress.start(label, len(jobs), kind="encode")
        counts[label] = {"encoded": 0, "cached": 0}
        for job in jobs:
            if job.out_path in todo:  # another video (or this one, earlier) encodes it in this render
                counts[label]["cached"] += 1
            elif job.out_path.is_file() and cached_segment_ok(job.out_path):
                counts[label]["cached"] += 1
                progress.advance(label)
                continue
            else:
                counts[label]["encoded"] += 1
                todo[job.out_path] = job
            waiting.setdefault(job.out_path, []).append(label)
    by_label = {video.label: video for video in videos}
    missing = {label: {job.out_path for job in jobs if job.out_path in todo} for label, jobs in plans.items()}

    def finished(video: Video) -> tuple[Video, list[bytes]]:
        jobs = plans[video.label]
        joined_video(ffmpeg, [job.out_path for job in jobs], video.target, options.cache / "videos")
        kill_point("concat")
        p, layouts = video.prepared, video.prepared.layouts[video.fmt.name]
        holders = [job for job in jobs if job.holds_still]  # a scene's still is beside its middle piece
        stills = [read_still(job.out_path) or scene_still(layout, scene, video.fmt, p.theme, p.book)
                  for job, layout, scene in zip(holders, layouts, video.timeline.scenes)]
        return video, stills

    # Heaviest first (by estimated CPU: a moving scene's frames cost more than a still card's) so the
    # pool stays busy to the end; submitted before any video is finished here.
    order = sorted(todo.values(), key=lambda j: -j.cpu)
    # A few units (an edit's) are encoded in a thread of this process when the workers are not
    # running yet: starting them would cost more than the units (see WorkPool.runs_here).
    here = ThreadPoolExecutor(max_workers=1, thread_name_prefix="segments") if order and pool.runs_here(
        sum(job.cpu for job in order)) else None
    opencv_threads = _opencv_threads(1) if here is not None else 0  # drawn as in a worker; given back
    try:
        if here is not None:
            futures = {here.submit(encode_unit, job): job.out_path for job in order}
            completed = as_completed(futures)
        else:
            futures = {pool.submit(render_segment, job): job.out_path for job in order}
            completed = pool.as_completed(futures)
        for video in videos:
            if not missing[video.label]:  # every segment from the cache
                yield finished(video)
        for future in completed:
            future.result()
            kill_point("segments")
            path = futures[future]
            for label in waiting[path]:
                progress.advance(label)
                if path in missing[label]:
                    missing[label].discard(path)
                    if not missing[label]:
                        yield finished(by_label[label])
    finally:
        if here is not None:
            here.shutdown(wait=True, cancel_futures=True)  # on an error, the units not yet begun
            _opencv_threads(opencv_threads)


def _opencv_threads(count: int) -> int:
    """Set OpenCV's thread count in this process to ``count``; the count it had. Units drawn here run
    on one thread, as in a worker (:func:`.segments.warm_up`), and the caller's process (a Python API
    user's) gets its own count back after them."""
    import cv2

    before = int(cv2.getNumThreads())
    cv2.setNumThreads(count)
    return before



def segment_jobs(prepared: Prepared, fmt: Format, options: RenderOptions, ffmpeg: Ffmpeg, *, captions: bool = True
                 ) -> list[SegmentJob]:
    """The segments of ``fmt`` as the render plans them, in scene order, each with its place in the
    segment cache (there once the format has been rendered with these options). ``captions=False``:
    the same scenes without burned-in captions, cached under their own keys."""
    seg_dir = options.cache / "segments"
    jobs = [job for job, _ in _keyed_segment_jobs(prepared, fmt, seg_dir, options, ffmpeg)]
    if captions:
        return jobs
    bare = [dataclasses.replace(job, cues=(), out_path=Path()) for job in jobs]
    return [dataclasses.replace(job, out_path=seg_dir / f"{segment_key(job, ffmpeg.version())}.mp4") for job in bare]
