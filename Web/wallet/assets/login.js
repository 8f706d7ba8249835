// The landing page of a `byoky open` login URL: the one-time token is in the URL's fragment, which
// browsers never send to a server. Move it into the login form, drop it from the address bar and
// history, and post it.
const token = location.hash.slice(1);
history.replaceState(null, '', '/wallet/login');
const form = document.getElementById('login');
const status = document.getElementById('login-status');
if (token && form) {
  form.elements.namedItem('token').value = token;
  form.submit();
} else if (status) {
  status.textContent = 'This login link has no token. Run `byoky open` in a terminal for a new one.';
}
