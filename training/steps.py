"""What the trainers share: a learning rate warmed up over the first tenth of the steps and then
decayed linearly to nothing, progress printed every few steps, and a checkpoint that a killed run
resumes from."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch


class Run:
    """A model's optimiser, schedule and step, saved to and resumed from `folder`/checkpoint.pt
    every `save_every` steps and at the `stop` step (default: the schedule's last); the mean loss
    and time a step printed every `log_every`."""

    def __init__(self, model: torch.nn.Module, folder: Path, total: int, lr: float, log_every: int = 50,
                 save_every: int = 100, stop: int | None = None) -> None:
        self.model = model
        self.total, self.stop = total, min(total, stop or total)
        self.log_every, self.save_every = log_every, save_every
        self.losses: list[float] = []
        self.began = time.time()
        self.optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
        warmup = max(1, total // 10)
        self.schedule = torch.optim.lr_scheduler.LambdaLR(
            self.optimiser, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup))))
        folder.mkdir(parents=True, exist_ok=True)
        self.checkpoint = folder / "checkpoint.pt"
        self.step = 0
        if self.checkpoint.exists():
            state = torch.load(self.checkpoint)
            model.load_state_dict(state["model"])
            self.optimiser.load_state_dict(state["optimiser"])
            self.schedule.load_state_dict(state["schedule"])
            self.step = state["step"]
            print(f"resumed at step {self.step}", flush=True)

    @property
    def running(self) -> bool:
        return self.step < self.stop

    @property
    def last_loss(self) -> float | None:
        """The mean loss of the last `log_every` steps of this process."""
        return float(np.mean(self.losses[-self.log_every:])) if self.losses else None

    def update(self, loss: torch.Tensor) -> None:
        """One optimiser step on `loss`, its gradient clipped to norm 1; then progress and the
        checkpoint when due."""
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimiser.step()
        self.schedule.step()
        self.optimiser.zero_grad()
        self.step += 1
        self.losses.append(loss.item())
        if self.step % self.log_every == 0 or self.step == self.stop:
            rate = (time.time() - self.began) / len(self.losses)
            print(f"step {self.step}/{self.total} loss {self.last_loss:.3f} {rate:.2f} s/step", flush=True)
        if self.step % self.save_every == 0 or self.step == self.stop:
            self.save()

    def save(self) -> None:
        """The checkpoint, written whole or not at all."""
        torch.save({"model": self.model.state_dict(), "optimiser": self.optimiser.state_dict(),
                    "schedule": self.schedule.state_dict(), "step": self.step}, self.checkpoint.with_suffix(".tmp"))
        self.checkpoint.with_suffix(".tmp").replace(self.checkpoint)
