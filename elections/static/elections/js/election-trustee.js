/*
 * Trustee pages: key generation (with a key-file download), dealing, share verification and
 * partial decryption. UI only; the cryptography is election-protocol.js. Load after it.
 *
 * Markup contract: <form data-trustee-step="key|dealing|confirmation|decryption"
 *   data-inputs="ID of a json_script element"> with <input type="hidden" name="message"> and, for
 * every step but "key", <input type="file" data-key-file accept="application/json">. The inputs
 * element holds {"setup", "index"} for "key"; {"setup", "keys"} for "dealing"; {"setup", "keys",
 * "dealings"} for "confirmation"; {"election", "totals"} for "decryption". An element
 * [data-trustee-status] (aria-live) receives messages; translated texts come from the form's
 * data-text-* attributes (data-text-downloaded, data-text-failed, data-text-no-file).
 *
 * The "key" step generates on the first submit (the file downloads, the status asks the trustee to
 * keep it) and sends the public key on the second. The key file is read with FileReader and never uploaded: the file input has no name, so the
 * browser does not send it; only the public message goes into the hidden field.
 */
(function (root) {
  "use strict";

  var MAX_KEY_FILE_BYTES = 16384;

  /** Offer ``keyFile`` as a download named like "medborger-trustee-2.json". */
  function downloadKeyFile(keyFile) {
    var blob = new Blob([JSON.stringify(keyFile, null, 2)], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "medborger-trustee-" + keyFile.index + ".json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 0);
  }

  /** Promise of the parsed key file chosen in ``input`` (read locally, size-bounded). */
  function readKeyFile(input) {
    return new Promise(function (resolve, reject) {
      var file = input.files && input.files[0];
      if (!file) return reject(new Error("no-file"));
      if (file.size > MAX_KEY_FILE_BYTES) return reject(new Error("not a trustee key file"));
      var reader = new FileReader();
      reader.onload = function () {
        try { resolve(JSON.parse(reader.result)); } catch (error) { reject(new Error("not a trustee key file")); }
      };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsText(file);
    });
  }

  var steps = {
    key: function (protocol, inputs) {
      var generated = protocol.generateKey(inputs.setup, inputs.index);
      downloadKeyFile(generated.keyFile);
      return Promise.resolve(generated.message);
    },
    dealing: function (protocol, inputs, keyFile) { return protocol.makeDealing(inputs.setup, keyFile, inputs.keys); },
    confirmation: function (protocol, inputs, keyFile) {
      return protocol.makeConfirmation(inputs.setup, keyFile, inputs.keys, inputs.dealings);
    },
    decryption: function (protocol, inputs, keyFile) {
      return protocol.partialDecryption(inputs.election, keyFile, inputs.totals);
    },
  };

  function run(form, protocol) {
    var step = form.dataset.trusteeStep;
    var inputs = JSON.parse(document.getElementById(form.dataset.inputs).textContent);
    var status = form.querySelector("[data-trustee-status]");
    var keyInput = form.querySelector("[data-key-file]");
    var keyFile = step === "key" ? Promise.resolve(null) : readKeyFile(keyInput);
    return keyFile
      .then(function (file) { return steps[step](protocol, inputs, file); })
      .then(function (message) {
        form.querySelector('input[name="message"]').value = protocol.canonicalJson(message);
        if (step === "key") {
          // The trustee first saves the downloaded key file; the next submit sends the public key.
          form.dataset.generated = "1";
          if (status) status.textContent = form.dataset.textDownloaded;
        } else {
          form.submit();
        }
        return message;
      })
      .catch(function (error) {
        if (status) {
          status.textContent = error.message === "no-file"
            ? form.dataset.textNoFile
            : form.dataset.textFailed + " " + (error.reason || error.message);
        }
        throw error;
      });
  }

  function init() {
    return root.MedborgerElection.ready().then(function (protocol) {
      document.querySelectorAll("form[data-trustee-step]").forEach(function (form) {
        form.querySelectorAll("button[data-needs-script]").forEach(function (button) { button.disabled = false; });
        form.addEventListener("submit", function (event) {
          if (form.dataset.generated) return; // the key is saved: send its public part
          event.preventDefault();
          run(form, protocol).catch(function () {});
        });
      });
    });
  }

  root.MedborgerTrustee = { init: init, run: run, readKeyFile: readKeyFile, downloadKeyFile: downloadKeyFile };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})(self);
