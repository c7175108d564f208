// puppeteer-core never downloads a browser; this also stops any puppeteer that might be pulled in.
module.exports = { skipDownload: true };
