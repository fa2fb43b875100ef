// How test-all writes a duration: m:ss, rounded to the second first (so 59.6 s is 1:00, never 0:60).
export function minutesSeconds(seconds) {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}
