// SPDX-License-Identifier: MIT
//
// Drives Debian's Chromium (headless, through playwright-core, never a
// downloaded browser) through a page as a person would, step by step, and
// finds everything by its visible text or label.
//
// usage: node drive.mjs [--page FILE] [--shots DIR] URL STEP...
//
//   --page FILE   serve FILE from a loopback server of this script (the host
//                 page of a test); URL is then the path and query to open
//                 on it ("/?token=..."). Loopback, because Chromium keeps
//                 other origins from loading the emulator's loopback files.
//   --shots DIR   where shot: writes its pictures (default: no pictures)
//
// Steps act in the Wink widget's iframe; prefix them with "page." to act on
// the host page instead:
//   click:TEXT          click the button or link named TEXT
//   fill:LABEL=VALUE    type VALUE into the field labelled LABEL
//   upload:LABEL=PATH   choose the file PATH in the file field labelled LABEL
//   see:TEXT            wait until TEXT shows
//   shot:NAME           save a screenshot as DIR/NN-NAME.png
//   closed              wait until the widget is gone
//   eval:EXPR           print the JSON of the JS expression EXPR
//   sh:COMMAND          run COMMAND with bash (to look at the emulator in
//                       the middle of a flow); a non-zero exit fails the step
//
// Every wait is bounded (STEP_TIMEOUT_MS); an uncaught error in the page
// fails the run. Exit 0 when every step passed, 1 with the failing step
// named (and a screenshot of the moment when --shots is given).
import { mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const STEP_TIMEOUT_MS = 10000;
const WIDGET = 'iframe[title="Smile Wink"]';
// The flags Debian's Chromium needs as root in a container, and nothing that
// reaches beyond this machine.
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--disable-background-networking', '--disable-component-update',
	'--disable-sync'];

function parseArgs(argv) {
	const opt = { page: null, shots: null, url: null, steps: [] };
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--page')
			opt.page = argv[++i];
		else if (argv[i] === '--shots')
			opt.shots = argv[++i];
		else if (!opt.url)
			opt.url = argv[i];
		else
			opt.steps.push(argv[i]);
	}
	if (!opt.url) {
		console.error('usage: node drive.mjs [--page FILE] [--shots DIR] URL STEP...');
		process.exit(2);
	}
	return opt;
}

function splitPair(arg, step) {
	const eq = arg.indexOf('=');
	if (eq < 0)
		throw new Error(`${step}: expected LABEL=VALUE`);
	return [arg.slice(0, eq), arg.slice(eq + 1)];
}

// A button or link with exactly that accessible name, whichever shows.
function named(scope, text) {
	return scope.getByRole('button', { name: text, exact: true })
		.or(scope.getByRole('link', { name: text, exact: true }));
}

async function runStep(page, opt, n, step) {
	let rest = step;
	let scope = page.frameLocator(WIDGET);
	if (rest.startsWith('page.')) {
		scope = page;
		rest = rest.slice(5);
	}
	const colon = rest.indexOf(':');
	const verb = colon < 0 ? rest : rest.slice(0, colon);
	const arg = colon < 0 ? '' : rest.slice(colon + 1);
	const t = { timeout: STEP_TIMEOUT_MS };

	switch (verb) {
	case 'click':
		await named(scope, arg).click(t);
		break;
	case 'fill': {
		const [label, value] = splitPair(arg, step);
		await scope.getByLabel(label, { exact: true }).fill(value, t);
		break;
	}
	case 'upload': {
		const [label, path] = splitPair(arg, step);
		await scope.getByLabel(label, { exact: true }).setInputFiles(path, t);
		break;
	}
	case 'see':
		await scope.getByText(arg).first().waitFor({ state: 'visible', ...t });
		break;
	case 'shot':
		if (opt.shots)
			await page.screenshot({ path: join(opt.shots, `${String(n).padStart(2, '0')}-${arg}.png`) });
		break;
	case 'closed':
		await page.locator(WIDGET).waitFor({ state: 'detached', ...t });
		break;
	case 'eval': {
		const where = scope === page ? page
			: await (await page.locator(WIDGET).elementHandle(t)).contentFrame();
		console.log(JSON.stringify(await where.evaluate(arg)));
		break;
	}
	case 'sh': {
		const r = spawnSync('bash', ['-c', arg], { stdio: ['ignore', 'inherit', 'inherit'], timeout: STEP_TIMEOUT_MS });
		if (r.status !== 0)
			throw new Error(`${step}: exit status ${r.status}`);
		break;
	}
	default:
		throw new Error(`${step}: unknown step`);
	}
}

// Serves one file at every path, on a free loopback port.
function serveFile(path) {
	const body = readFileSync(path);
	const server = createServer((req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		res.end(body);
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
	const opt = parseArgs(process.argv.slice(2));
	const profile = mkdtempSync(join(tmpdir(), 'smile-chromium-'));
	const pageErrors = [];
	let context, server;
	let status = 0;

	if (opt.shots)
		mkdirSync(opt.shots, { recursive: true });
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
			headless: true,
			args: CHROMIUM_FLAGS,
			viewport: { width: 900, height: 720 },
		});
		const page = context.pages()[0] || await context.newPage();
		page.on('pageerror', (e) => pageErrors.push(e.message));
		if (opt.page) {
			server = await serveFile(opt.page);
			opt.url = new URL(opt.url, `http://127.0.0.1:${server.address().port}/`).href;
		}
		await page.goto(opt.url, { timeout: STEP_TIMEOUT_MS });
		for (let i = 0; i < opt.steps.length; i++) {
			try {
				await runStep(page, opt, i + 1, opt.steps[i]);
			} catch (e) {
				console.error(`drive: step ${i + 1} (${opt.steps[i]}) failed: ${e.message.split('\n')[0]}`);
				if (opt.shots)
					await page.screenshot({ path: join(opt.shots, `${String(i + 1).padStart(2, '0')}-FAILED.png`) })
						.catch(() => {});
				status = 1;
				break;
			}
		}
		if (pageErrors.length) {
			console.error(`drive: the page threw: ${pageErrors.join('; ')}`);
			status = 1;
		}
	} finally {
		if (context)
			await context.close();
		if (server)
			server.close();
		rmSync(profile, { recursive: true, force: true });
	}
	process.exit(status);
}

main().catch((e) => {
	console.error(`drive: ${e.message}`);
	process.exit(1);
});
