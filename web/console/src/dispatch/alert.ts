// The driver's phone announces a new task: two short beeps through the Web Audio API and a
// vibration where the phone allows. Browsers only play sound after the user has touched the
// page, so the page asks for one tap (unlockAudio) and remembers that it was given.

let ctx: AudioContext | null = null;

/** audioReady tells whether a tap has unlocked sound on this page load. */
export function audioReady(): boolean {
  return ctx !== null && ctx.state === 'running';
}

/** unlockAudio creates (or resumes) the audio context; call it from a tap. */
export async function unlockAudio(): Promise<boolean> {
  try {
    const AC = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!AC) return false;
    ctx ??= new AC();
    if (ctx.state !== 'running') await ctx.resume();
    return ctx.state === 'running';
  } catch {
    return false;
  }
}

/** beep plays n short tones (880 Hz, 0.18 s each); silent when sound is locked. */
export function beep(n = 2): boolean {
  if (!ctx || ctx.state !== 'running') return false;
  const t0 = ctx.currentTime + 0.02;
  for (let i = 0; i < n; i++) {
    const start = t0 + i * 0.3;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.4, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(start + 0.2);
  }
  return true;
}

/** buzz vibrates where the phone and browser allow it. */
export function buzz(): boolean {
  try {
    return typeof navigator.vibrate === 'function' && navigator.vibrate([200, 100, 200]);
  } catch {
    return false;
  }
}
