// Hội viên bot web console: the only script every page loads (served by the bot, no third-party code). Pages work
// without it; it adds a confirmation before destructive buttons (data-confirm). Page-specific scripts are separate files.
document.addEventListener('submit', (event) => {
  const button = event.submitter;
  const question = button && button.getAttribute('data-confirm');
  if (question && !window.confirm(question)) event.preventDefault();
});
