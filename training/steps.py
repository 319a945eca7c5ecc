"""What the trainers share: a learning rate warmed up over the first tenth of the steps and then
decayed linearly to nothing, and a checkpoint that a killed run resumes from."""

from __future__ import annotations

from pathlib import Path

import torch


class Run:
    """A model's optimiser, schedule and step, saved to and resumed from `folder`/checkpoint.pt."""

    def __init__(self, model: torch.nn.Module, folder: Path, total: int, lr: float) -> None:
        self.model = model
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

    def update(self, loss: torch.Tensor) -> None:
        """One optimiser step on `loss`, its gradient clipped to norm 1."""
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimiser.step()
        self.schedule.step()
        self.optimiser.zero_grad()
        self.step += 1

    def save(self) -> None:
        """The checkpoint, written whole or not at all."""
        torch.save({"model": self.model.state_dict(), "optimiser": self.optimiser.state_dict(),
                    "schedule": self.schedule.state_dict(), "step": self.step}, self.checkpoint.with_suffix(".tmp"))
        self.checkpoint.with_suffix(".tmp").replace(self.checkpoint)
