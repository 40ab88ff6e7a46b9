// The words this script writes itself, together (the summary itself comes from the kernel). The
// kernel sends them in the reader's language as ``messages``; these English ones are the default.
const MESSAGES = {
  view: "Your summary",
  save: "Save the summary as a file",
  print: "Print the summary",
  printFrame: "Summary for printing",
};

function render({ model, el }) {
  const words = () => ({ ...MESSAGES, ...(model.get("messages") || {}) });
  const box = document.createElement("div");
  box.className = "sp-summary";
  const view = document.createElement("iframe");  // on screen first (UX review), then save or print
  view.className = "sp-summary-view";
  view.setAttribute("sandbox", "allow-same-origin");  // shows the page; runs no script in it
  const buttons = document.createElement("div");
  buttons.className = "sp-actions";
  const link = document.createElement("a");
  link.className = "sp-download";
  const print = document.createElement("button");
  print.type = "button";
  print.className = "sp-print jupyter-button";
  const word = () => {
    const said = words();
    view.title = said.view;
    link.textContent = said.save;
    print.textContent = said.print;
  };
  let url = null;
  const draw = () => {
    const html = model.get("html");
    if (url) URL.revokeObjectURL(url);
    url = html ? URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" })) : null;
    box.style.display = html ? "" : "none";  // not box.hidden: the app's CSS sets display: flex
    if (url) link.href = url; else link.removeAttribute("href");
    link.download = model.get("filename");
    view.srcdoc = html;
  };
  print.addEventListener("click", () => {
    const frame = document.createElement("iframe");
    frame.title = words().printFrame;
    frame.setAttribute("sandbox", "allow-modals allow-same-origin");
    frame.style.cssText = "position:fixed;right:0;bottom:0;width:0;height:0;border:0";
    frame.srcdoc = model.get("html");
    frame.addEventListener("load", () => {
      frame.contentWindow.focus();
      frame.contentWindow.print();
      setTimeout(() => frame.remove(), 60000);
    });
    document.body.appendChild(frame);
  });
  word();
  draw();
  model.on("change:messages", word);
  model.on("change:html", draw);
  model.on("change:filename", draw);
  buttons.append(link, print);
  box.append(view, buttons);
  el.appendChild(box);
  return () => { if (url) URL.revokeObjectURL(url); };
}
export default { render };
