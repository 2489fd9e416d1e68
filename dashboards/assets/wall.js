// The wall's browser-side work: clock, panel rotation and the "server unreachable" banner.
// It runs without the server, so the wall keeps telling the time and the truth when the network fails.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  wall: {
    viewport: function () {
      return {height: window.innerHeight, width: window.innerWidth};
    },
    tick: function (n, settings, lastOk) {
      const now = new Date();
      const locale = settings.lang === "en" ? "en-GB" : "vi-VN";
      const clock = now.toLocaleTimeString(locale, {timeZone: "Asia/Ho_Chi_Minh", hour12: false}) + "  " +
        now.toLocaleDateString(locale, {timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric"});
      const offline = lastOk && (Date.now() - lastOk) > settings.stale_after_s * 1000;
      const screens = settings.screens;
      const turn = settings.rotate_s > 0 ? Math.floor(Date.now() / 1000 / settings.rotate_s) % screens.length : 0;
      const styles = [];
      for (let i = 0; i < settings.screen_count; i++) {
        styles.push(i === screens[turn] ? {} : {display: "none"});
      }
      return [clock, offline ? {} : {display: "none"}, ...styles];
    }
  }
});
