// SPDX-License-Identifier: GPL-2.0-or-later
export function listExamples(): Array<{ file: string; title: string; recording?: string }>;
export function render(): string;
