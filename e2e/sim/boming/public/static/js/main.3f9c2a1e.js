/* 博明收银台 — simulator front end (博明卡 web-POS).
 * React 18 (UMD globals) + htm templates, no build step. History routing: /login, /cashier, /orders.
 * Every input is CONTROLLED (value + onChange from React state). Money is integer fen; yuan
 * strings only for display and input text. Styles are injected at runtime, CSS-in-JS style
 * (`css-<hash>` classes next to stable `bm-*` classes). */
(function () {
  'use strict';
  const { useState, useEffect, useRef, useCallback, useLayoutEffect } = React;
  const { createPortal } = ReactDOM;
  const html = htm.bind(React.createElement);

  const CONFIG = window.__BM_CONFIG__ || {};
  const RENAMED = CONFIG.renamed || {};
  /** Every displayed text goes through T: the simulator's `renamed` option replaces whole texts. */
  const T = (s) => (Object.prototype.hasOwnProperty.call(RENAMED, s) ? RENAMED[s] : s);

  // ------------------------------------------------------------------ CSS-in-JS (tiny emotion)
  const sheet = document.createElement('style');
  sheet.setAttribute('data-emotion', 'bm');
  document.head.appendChild(sheet);
  const inserted = new Set();
  function hash(str) {
    let h = 5381;
    for (let i = 0; i < str.length; i++) h = ((h << 5) + h + str.charCodeAt(i)) | 0;
    return (h >>> 0).toString(36);
  }
  /** css`decls; &:hover{…} & .child{…}` → class name; nested `&…{…}` blocks (one level). */
  function css(strings, ...vals) {
    const text = String.raw({ raw: strings }, ...vals).replace(/\s+/g, ' ').trim();
    const name = 'css-' + hash(text);
    if (!inserted.has(name)) {
      inserted.add(name);
      const nested = [];
      const base = text.replace(/&([^{}]*)\{([^{}]*)\}/g, (_, sel, body) => {
        nested.push(`.${name}${sel.trim().startsWith(':') ? '' : ' '}${sel.trim()}{${body}}`.replace(/ +&/g, ''));
        return '';
      });
      sheet.appendChild(document.createTextNode(`.${name}{${base}}` + nested.join('')));
    }
    return name;
  }
  function injectGlobal(text) {
    sheet.appendChild(document.createTextNode(text));
  }
  const cx = (...a) => a.filter(Boolean).join(' ');

  injectGlobal(`
    *,*::before,*::after{box-sizing:border-box}
    html,body{margin:0;padding:0;height:100%}
    body{font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
      font-size:14px;color:#1f2329;background:#f2f4f8;-webkit-font-smoothing:antialiased}
    #root{min-height:100%}
    @keyframes bm-fade-in{from{opacity:0}to{opacity:1}}
    @keyframes bm-zoom-in{from{opacity:0;transform:scale(.96)}to{opacity:1;transform:none}}
    @keyframes bm-spin{to{transform:rotate(360deg)}}
    @keyframes bm-slide-down{from{opacity:0;transform:translateY(-8px)}to{opacity:1;transform:none}}
  `);

  const C = { primary: '#0f6fde', primaryHover: '#3b8cf0', danger: '#e5484d', success: '#18a058', border: '#dcdfe6', muted: '#8a8f99' };

  const S = {
    input: css`
      height:36px;width:100%;padding:0 12px;border:1px solid ${C.border};border-radius:8px;background:#fff;
      font-size:14px;color:#1f2329;outline:none;transition:border-color .15s,box-shadow .15s;
      &:hover{border-color:${C.primaryHover}}
      &:focus{border-color:${C.primary};box-shadow:0 0 0 3px rgba(15,111,222,.15)}
      &::placeholder{color:#b5b9c2}
      &:disabled{background:#f5f6f8;color:${C.muted};cursor:not-allowed}
    `,
    inputLg: css`height:44px;font-size:16px;letter-spacing:.5px`,
    btn: css`
      display:inline-flex;align-items:center;justify-content:center;gap:6px;height:36px;padding:0 18px;
      border-radius:8px;border:1px solid ${C.border};background:#fff;color:#1f2329;font-size:14px;cursor:pointer;
      white-space:nowrap;transition:all .15s;user-select:none;
      &:hover{color:${C.primary};border-color:${C.primaryHover}}
      &:disabled{cursor:not-allowed;opacity:.55}
    `,
    btnPrimary: css`
      background:${C.primary};border-color:${C.primary};color:#fff;
      &:hover{background:${C.primaryHover};border-color:${C.primaryHover};color:#fff}
      &:disabled{background:${C.primary};color:#fff}
    `,
    btnDanger: css`
      background:${C.danger};border-color:${C.danger};color:#fff;
      &:hover{background:#f06a6e;border-color:#f06a6e;color:#fff}
    `,
    btnLg: css`height:44px;padding:0 28px;font-size:16px;border-radius:10px`,
    btnBlock: css`width:100%`,
    btnLink: css`
      border:none;background:none;padding:0 4px;color:${C.primary};cursor:pointer;font-size:14px;
      &:hover{color:${C.primaryHover};text-decoration:underline}
      &:disabled{color:${C.muted};cursor:not-allowed;text-decoration:none}
    `,
    linkDanger: css`color:${C.danger}; &:hover{color:#f06a6e}`,
    spinner: css`
      width:14px;height:14px;border:2px solid rgba(255,255,255,.45);border-top-color:#fff;border-radius:50%;
      animation:bm-spin .7s linear infinite;display:inline-block
    `,
    formItem: css`display:flex;flex-direction:column;gap:6px;margin-bottom:16px`,
    formLabel: css`font-size:13px;color:#4e5561;font-weight:500`,
    formError: css`color:${C.danger};font-size:13px;min-height:18px;margin-top:-6px;margin-bottom:8px`,
    card: css`background:#fff;border-radius:12px;box-shadow:0 1px 2px rgba(16,24,40,.06),0 1px 3px rgba(16,24,40,.08);padding:20px 24px`,
  };

  // ------------------------------------------------------------------ money / time
  function fenToYuan(fen) {
    const neg = fen < 0;
    const a = Math.abs(fen);
    return (neg ? '-' : '') + Math.floor(a / 100) + '.' + String(a % 100).padStart(2, '0');
  }
  const yuan = (fen) => '¥' + fenToYuan(fen);
  /** "36" / "36.5" / "36.50" → fen; null unless a positive-or-zero price with ≤ 2 decimals. */
  function parseYuan(text) {
    const m = /^(\d{1,7})(?:\.(\d{0,2}))?$/.exec(String(text == null ? '' : text).trim());
    if (!m) return null;
    return Number(m[1]) * 100 + Number(((m[2] || '') + '00').slice(0, 2));
  }
  /** What a money input accepts while typing (others are rejected: the value stays). */
  const MONEY_TYPING = /^\d{0,7}(\.\d{0,2})?$/;
  function bjTime(ms) {
    return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
  }
  const fmtIso = (iso) => (iso ? String(iso).slice(0, 19).replace('T', ' ') : '');

  const CRED_TYPES = [
    { type: 'yingda-qr', label: '英大黑码', tip: '请顾客打开英大App，出示黑色付款码' },
    { type: 'boming-qr', label: '博明小管家', tip: '请顾客打开「博明小管家」，出示付款码' },
    { type: 'idcard', label: '身份证', tip: '刷身份证或手动输入身份证号，请顾客输入支付密码' },
  ];
  const credLabel = (type) => (CRED_TYPES.find((c) => c.type === type) || { label: type }).label;

  // ------------------------------------------------------------------ test hook
  const snapshot = { route: location.pathname, loggedIn: false };
  window.__boming = {
    state: () => JSON.parse(JSON.stringify(snapshot)),
    config: () => JSON.parse(JSON.stringify(CONFIG)),
  };

  // ------------------------------------------------------------------ router
  function navigate(to, replace) {
    if (location.pathname === to) return;
    history[replace ? 'replaceState' : 'pushState'](null, '', to);
    window.dispatchEvent(new Event('bm:navigate'));
  }
  function usePath() {
    const [path, setPath] = useState(location.pathname);
    useEffect(() => {
      const f = () => setPath(location.pathname);
      window.addEventListener('popstate', f);
      window.addEventListener('bm:navigate', f);
      return () => {
        window.removeEventListener('popstate', f);
        window.removeEventListener('bm:navigate', f);
      };
    }, []);
    return path;
  }

  // ------------------------------------------------------------------ session + API
  const TOKEN_KEY = 'bm_token';
  const PROFILE_KEY = 'bm_profile';
  const session = {
    get token() {
      return localStorage.getItem(TOKEN_KEY);
    },
    get profile() {
      try {
        return JSON.parse(localStorage.getItem(PROFILE_KEY) || 'null');
      } catch {
        return null;
      }
    },
    set(token, profile) {
      localStorage.setItem(TOKEN_KEY, token);
      localStorage.setItem(PROFILE_KEY, JSON.stringify(profile));
    },
    clear() {
      localStorage.removeItem(TOKEN_KEY);
      localStorage.removeItem(PROFILE_KEY);
    },
  };

  class ApiError extends Error {
    constructor(message, code) {
      super(message);
      this.code = code;
    }
  }
  async function api(path, opts) {
    const { method = 'GET', body } = opts || {};
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (session.token) headers.authorization = 'Bearer ' + session.token;
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new ApiError('网络异常，请检查网络连接', -1);
    }
    const json = await res.json().catch(() => null);
    if (res.status === 401 || (json && json.code === 401)) {
      session.clear();
      toast.error((json && json.message) || '登录已失效，请重新登录');
      navigate('/login', true);
      throw new ApiError('登录已失效', 401);
    }
    if (!json || json.code !== 200) throw new ApiError((json && json.message) || `请求失败（${res.status}）`, json ? json.code : res.status);
    return json.data;
  }

  // ------------------------------------------------------------------ toasts
  const toastListeners = new Set();
  let toastSeq = 0;
  const toast = {
    show(type, text) {
      const t = { id: ++toastSeq, type, text };
      toastListeners.forEach((f) => f((list) => [...list, t]));
      setTimeout(() => toastListeners.forEach((f) => f((list) => list.filter((x) => x.id !== t.id))), 2600);
    },
    success: (text) => toast.show('success', text),
    error: (text) => toast.show('error', text),
    info: (text) => toast.show('info', text),
  };
  const toastCls = css`
    position:fixed;top:20px;left:0;right:0;display:flex;flex-direction:column;align-items:center;gap:8px;
    z-index:3000;pointer-events:none
  `;
  const toastItemCls = css`
    pointer-events:auto;background:#fff;border-radius:8px;padding:10px 16px;font-size:14px;
    box-shadow:0 6px 16px rgba(0,0,0,.12);animation:bm-slide-down .2s ease;display:flex;gap:8px;align-items:center
  `;
  function Toaster() {
    const [list, setList] = useState([]);
    useEffect(() => {
      toastListeners.add(setList);
      return () => toastListeners.delete(setList);
    }, []);
    if (!list.length) return null;
    return createPortal(
      html`<div className=${cx('bm-message-container', toastCls)}>
        ${list.map(
          (t) => html`<div key=${t.id} role="alert" className=${cx('bm-message', 'bm-message-' + t.type, toastItemCls)}>
            <span style=${{ color: t.type === 'success' ? C.success : t.type === 'error' ? C.danger : C.primary, fontWeight: 700 }}>
              ${t.type === 'success' ? '✓' : t.type === 'error' ? '!' : 'i'}
            </span>
            <span className="bm-message-text">${t.text}</span>
          </div>`,
        )}
      </div>`,
      document.body,
    );
  }

  // ------------------------------------------------------------------ UI primitives
  function Button({ type = 'default', size, block, loading, className, children, htmlType = 'button', ...rest }) {
    return html`<button
      type=${htmlType}
      className=${cx(
        'bm-btn',
        type === 'primary' && 'bm-btn-primary',
        type === 'danger' && 'bm-btn-danger',
        size === 'large' && 'bm-btn-lg',
        loading && 'bm-btn-loading',
        S.btn,
        type === 'primary' && S.btnPrimary,
        type === 'danger' && S.btnDanger,
        size === 'large' && S.btnLg,
        block && S.btnBlock,
        className,
      )}
      ...${rest}
    >
      ${loading ? html`<i className=${cx('bm-spin', S.spinner)} aria-hidden="true"></i>` : null}
      <span>${children}</span>
    </button>`;
  }

  let modalSeq = 0;
  const modalCls = {
    mask: css`position:fixed;inset:0;background:rgba(15,23,42,.45);z-index:1000;animation:bm-fade-in .15s ease`,
    wrap: css`position:fixed;inset:0;z-index:1001;display:flex;align-items:flex-start;justify-content:center;overflow:auto;padding-top:12vh`,
    box: css`background:#fff;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.18);animation:bm-zoom-in .15s ease;max-width:calc(100vw - 32px)`,
    header: css`display:flex;align-items:center;justify-content:space-between;padding:18px 24px 8px`,
    title: css`font-size:17px;font-weight:600`,
    close: css`
      border:none;background:none;font-size:20px;line-height:1;color:${C.muted};cursor:pointer;width:28px;height:28px;border-radius:6px;
      &:hover{background:#f2f3f5;color:#1f2329}
    `,
    body: css`padding:12px 24px 8px`,
    footer: css`display:flex;justify-content:flex-end;gap:10px;padding:12px 24px 20px`,
  };
  /** An antd-like modal, rendered into <body> by a portal. */
  function Modal({ title, onClose, closable = true, width = 460, footer, children, className }) {
    const [titleId] = useState(() => 'bm-modal-title-' + ++modalSeq);
    useEffect(() => {
      const prev = document.body.style.overflow;
      document.body.style.overflow = 'hidden';
      return () => {
        document.body.style.overflow = prev;
      };
    }, []);
    const onKeyDown = (e) => {
      if (e.key === 'Escape' && closable && onClose) onClose();
    };
    return createPortal(
      html`<div className="bm-modal-root">
        <div className=${cx('bm-modal-mask', modalCls.mask)}></div>
        <div className=${cx('bm-modal-wrap', modalCls.wrap)} tabIndex="-1" onKeyDown=${onKeyDown}>
          <div role="dialog" aria-modal="true" aria-labelledby=${titleId} className=${cx('bm-modal', modalCls.box, className)} style=${{ width }}>
            <div className=${cx('bm-modal-header', modalCls.header)}>
              <div id=${titleId} className=${cx('bm-modal-title', modalCls.title)}>${title}</div>
              ${closable ? html`<button type="button" aria-label="关闭" className=${cx('bm-modal-close', modalCls.close)} onClick=${onClose}>×</button>` : null}
            </div>
            <div className=${cx('bm-modal-body', modalCls.body)}>${children}</div>
            ${footer ? html`<div className=${cx('bm-modal-footer', modalCls.footer)}>${footer}</div>` : null}
          </div>
        </div>
      </div>`,
      document.body,
    );
  }

  // ------------------------------------------------------------------ login
  const loginCls = {
    page: css`min-height:100vh;display:flex;align-items:center;justify-content:center;
      background:linear-gradient(135deg,#0b4fa8 0%,#0f6fde 45%,#5aa7ff 100%)`,
    card: css`width:380px;background:#fff;border-radius:16px;padding:36px 36px 28px;box-shadow:0 20px 50px rgba(4,30,80,.35)`,
    logo: css`display:flex;align-items:center;gap:10px;margin-bottom:4px;
      & .mark{width:36px;height:36px;border-radius:10px;background:${C.primary};color:#fff;display:flex;align-items:center;justify-content:center;font-weight:700}
      & h1{margin:0;font-size:22px}`,
    sub: css`color:${C.muted};margin:0 0 28px 46px;font-size:13px`,
    foot: css`margin-top:18px;text-align:center;color:#b5b9c2;font-size:12px`,
  };
  function LoginPage() {
    const [account, setAccount] = useState('');
    const [password, setPassword] = useState('');
    const [error, setError] = useState('');
    const [loading, setLoading] = useState(false);
    Object.assign(snapshot, { page: 'login', login: { account, passwordLength: password.length, loading, error } });

    const submit = async (e) => {
      e.preventDefault();
      if (loading) return;
      if (!account.trim()) return setError('请输入账号');
      if (!password) return setError('请输入密码');
      setError('');
      setLoading(true);
      try {
        const data = await api('/api/v1/auth/login', { method: 'POST', body: { account: account.trim(), password } });
        session.set(data.token, { account: data.account, storeName: data.storeName, storeCode: data.storeCode });
        toast.success('登录成功');
        navigate('/cashier', true);
      } catch (err) {
        setError(err.message);
        setLoading(false);
      }
    };

    return html`<div className=${cx('bm-login', loginCls.page)}>
      <form className=${cx('bm-login-card', loginCls.card)} onSubmit=${submit} autoComplete="off">
        <div className=${loginCls.logo}><div className="mark">博</div><h1>${T('博明收银台')}</h1></div>
        <p className=${loginCls.sub}>博明卡 · 商户网页收银系统</p>
        <div className=${cx('bm-form-item', S.formItem)}>
          <label className=${cx('bm-form-label', S.formLabel)}>${T('账号')}</label>
          <input className=${cx('bm-input', S.input, S.inputLg)} placeholder=${T('请输入账号')} value=${account}
            onChange=${(e) => setAccount(e.target.value)} autoComplete="username" />
        </div>
        <div className=${cx('bm-form-item', S.formItem)}>
          <label className=${cx('bm-form-label', S.formLabel)}>${T('密码')}</label>
          <input type="password" className=${cx('bm-input', S.input, S.inputLg)} placeholder=${T('请输入密码')} value=${password}
            onChange=${(e) => setPassword(e.target.value)} autoComplete="current-password" />
        </div>
        <div className=${cx('bm-form-error', S.formError)} role=${error ? 'alert' : undefined}>${error}</div>
        <${Button} type="primary" size="large" block htmlType="submit" loading=${loading} disabled=${loading}>
          ${loading ? '登录中…' : T('登 录')}
        <//>
        <div className=${loginCls.foot}>© 博明健康科技 · 客服热线 400-000-0000</div>
      </form>
    </div>`;
  }

  // ------------------------------------------------------------------ layout
  const layoutCls = {
    header: css`height:56px;background:#fff;border-bottom:1px solid #e8eaef;display:flex;align-items:center;padding:0 24px;gap:32px;position:sticky;top:0;z-index:10`,
    brand: css`display:flex;align-items:center;gap:8px;font-weight:700;font-size:16px;color:${C.primary}`,
    nav: css`display:flex;gap:4px;height:100%`,
    navItem: css`display:flex;align-items:center;padding:0 14px;color:#4e5561;text-decoration:none;border-bottom:2px solid transparent;
      &:hover{color:${C.primary}}`,
    navActive: css`color:${C.primary};border-bottom-color:${C.primary};font-weight:600`,
    right: css`margin-left:auto;display:flex;align-items:center;gap:14px;color:#4e5561`,
    main: css`max-width:1180px;margin:0 auto;padding:20px 24px 40px`,
  };
  function Layout({ path, children }) {
    const profile = session.profile || {};
    const logout = async () => {
      await api('/api/v1/auth/logout', { method: 'POST' }).catch(() => undefined);
      session.clear();
      navigate('/login');
    };
    const link = (to, text) => html`<a href=${to}
      className=${cx('bm-nav-item', layoutCls.navItem, path === to && 'bm-nav-item-active', path === to && layoutCls.navActive)}
      aria-current=${path === to ? 'page' : undefined}
      onClick=${(e) => {
        e.preventDefault();
        navigate(to);
      }}>${text}</a>`;
    return html`<div className="bm-layout">
      <header className=${cx('bm-header', layoutCls.header)}>
        <div className=${layoutCls.brand}><span>◆</span>${T('博明收银台')}</div>
        <nav className=${layoutCls.nav}>${link('/cashier', T('收银'))}${link('/orders', T('交易记录'))}</nav>
        <div className=${layoutCls.right}>
          <span className="bm-store-name">${profile.storeName || ''}</span>
          <span>${profile.account || ''}</span>
          <${Button} className="bm-logout" onClick=${logout}>${T('退出')}<//>
        </div>
      </header>
      <main className=${cx('bm-main', layoutCls.main)}>${children}</main>
    </div>`;
  }

  // ------------------------------------------------------------------ cashier
  const cashierCls = {
    grid: css`display:grid;grid-template-columns:1fr 320px;gap:20px;align-items:start`,
    sectionTitle: css`font-size:15px;font-weight:600;margin:0 0 14px;display:flex;align-items:center;justify-content:space-between`,
    clock: css`font-weight:400;color:${C.muted};font-size:13px;font-variant-numeric:tabular-nums`,
    searchWrap: css`position:relative;margin-bottom:16px`,
    dropdown: css`position:absolute;z-index:1050;background:#fff;border-radius:10px;box-shadow:0 8px 24px rgba(0,0,0,.14);
      padding:4px;max-height:320px;overflow:auto;animation:bm-slide-down .12s ease`,
    listbox: css`list-style:none;margin:0;padding:0`,
    option: css`display:grid;grid-template-columns:1fr auto;gap:2px 12px;padding:8px 12px;border-radius:6px;cursor:pointer;
      &:hover{background:#f0f6ff}`,
    optionActive: css`background:#e6f0ff`,
    optionName: css`font-weight:500`,
    optionMeta: css`grid-column:1;color:${C.muted};font-size:12px;display:flex;gap:12px`,
    optionPrice: css`grid-row:1 / span 2;grid-column:2;align-self:center;color:${C.danger};font-weight:600`,
    dropdownMsg: css`padding:12px;color:${C.muted};text-align:center`,
    table: css`width:100%;border-collapse:collapse;
      & th{background:#f7f8fa;color:#4e5561;font-weight:500;text-align:left;padding:10px 12px;font-size:13px;border-bottom:1px solid #eceef2}
      & td{padding:10px 12px;border-bottom:1px solid #f0f1f4;vertical-align:middle}`,
    goodsName: css`font-weight:500`,
    goodsSpec: css`color:${C.muted};font-size:12px;margin-top:2px`,
    stepper: css`display:inline-flex;align-items:center;border:1px solid ${C.border};border-radius:8px;overflow:hidden;height:32px;
      & button{width:30px;height:100%;border:none;background:#f7f8fa;cursor:pointer;font-size:16px;color:#4e5561}
      & button:disabled{color:#c9cdd4;cursor:not-allowed}
      & input{width:46px;height:100%;border:none;border-left:1px solid ${C.border};border-right:1px solid ${C.border};text-align:center;outline:none;font-size:14px}`,
    price: css`width:96px;height:32px;text-align:right`,
    empty: css`text-align:center;color:${C.muted};padding:36px 0 !important`,
    switchRow: css`display:inline-flex;align-items:center;gap:8px;cursor:pointer;font-size:13px;color:#4e5561;user-select:none`,
    switchBtn: css`position:relative;width:40px;height:22px;border-radius:11px;border:none;background:#c9cdd4;cursor:pointer;transition:background .2s;padding:0;
      & .bm-switch-handle{position:absolute;top:2px;left:2px;width:18px;height:18px;border-radius:50%;background:#fff;transition:left .2s;box-shadow:0 1px 2px rgba(0,0,0,.2)}`,
    switchOn: css`background:${C.primary}; & .bm-switch-handle{left:20px}`,
    amountRow: css`display:flex;align-items:center;gap:8px;max-width:320px; & input{font-size:20px;height:48px}`,
    summaryRow: css`display:flex;justify-content:space-between;align-items:baseline;margin:6px 0;color:#4e5561`,
    total: css`font-size:28px;font-weight:700;color:${C.danger};font-variant-numeric:tabular-nums`,
  };

  const emptyVerify = { type: 'yingda-qr', code: '', idNo: '', password: '', error: '' };
  let lineKeySeq = 0;

  function lineValues(l) {
    const qty = /^\d{1,3}$/.test(l.qtyText) ? Number(l.qtyText) : null;
    const unitFen = parseYuan(l.priceText);
    const valid = qty !== null && qty >= 1 && unitFen !== null && unitFen >= 1;
    return { qty, unitFen, valid, subtotalFen: valid ? qty * unitFen : null };
  }

  function CashierPage() {
    const [now, setNow] = useState(Date.now());
    const [keyword, setKeyword] = useState('');
    const [suggest, setSuggest] = useState({ open: false, loading: false, list: [], forKeyword: '' });
    const [active, setActive] = useState(-1);
    const [lines, setLines] = useState([]);
    const [amountMode, setAmountMode] = useState(false);
    const [amountText, setAmountText] = useState('');
    const [storeOrderNo, setStoreOrderNo] = useState('');
    const [dialog, setDialog] = useState(null); // null | 'verify' | 'result'
    const [verify, setVerify] = useState(emptyVerify);
    const [paying, setPaying] = useState(false);
    const [result, setResult] = useState(null); // { ok, order?, reason? }
    const searchRef = useRef(null);
    const searchSeq = useRef(0);
    const debounce = useRef(0);
    const [anchor, setAnchor] = useState(null);

    // A cashier's clock: re-renders the whole page every second (so a value set only in the DOM,
    // without the events React listens to, is overwritten by React's state within a second).
    useEffect(() => {
      const t = setInterval(() => setNow(Date.now()), 1000);
      return () => clearInterval(t);
    }, []);
    useEffect(() => () => clearTimeout(debounce.current), []);

    const computed = lines.map((l) => ({ ...l, ...lineValues(l) }));
    const goodsValid = computed.length > 0 && computed.every((l) => l.valid);
    const goodsTotal = goodsValid ? computed.reduce((s, l) => s + l.subtotalFen, 0) : null;
    const amountFen = parseYuan(amountText);
    const totalFen = amountMode ? (amountFen !== null && amountFen > 0 ? amountFen : null) : goodsTotal;
    const canNext = totalFen !== null && totalFen > 0;

    Object.assign(snapshot, {
      page: 'cashier',
      mode: amountMode ? 'amount' : 'goods',
      keyword,
      dropdownOpen: suggest.open,
      dropdownLoading: suggest.loading,
      suggestions: suggest.list.map((g) => g.barcode),
      lines: computed.map((l) => ({ barcode: l.barcode, name: l.name, qtyText: l.qtyText, priceText: l.priceText, qty: l.qty, unitFen: l.unitFen })),
      amountText,
      amountFen,
      storeOrderNo,
      totalFen,
      dialog,
      credentialType: verify.type,
      credentialInput: { code: verify.code, idNo: verify.idNo, passwordLength: verify.password.length, error: verify.error },
      paying,
      lastResult: result
        ? result.ok
          ? { status: 'paid', vendorOrderNo: result.order.vendorOrderNo, amountFen: result.order.amountFen, cardFen: result.order.cardFen, cashFen: result.order.cashFen, masked: result.order.credential.masked }
          : { status: 'failed', reason: result.reason, vendorOrderNo: result.order ? result.order.vendorOrderNo : null }
        : snapshot.lastResult || null,
    });

    // ---- goods search
    const runSearch = useCallback(async (kw) => {
      const mySeq = ++searchSeq.current;
      setSuggest((s) => ({ ...s, open: true, loading: true }));
      try {
        const data = await api('/api/v1/goods/search?kw=' + encodeURIComponent(kw));
        if (mySeq !== searchSeq.current) return null; // a newer search is under way
        setSuggest({ open: true, loading: false, list: data.list, forKeyword: kw });
        setActive(data.list.length ? 0 : -1);
        return data.list;
      } catch (e) {
        if (mySeq === searchSeq.current) setSuggest({ open: true, loading: false, list: [], forKeyword: kw });
        return null;
      }
    }, []);
    const placeDropdown = () => {
      const el = searchRef.current;
      if (!el) return;
      const r = el.getBoundingClientRect();
      setAnchor({ top: r.bottom + window.scrollY + 4, left: r.left + window.scrollX, width: r.width });
    };
    useLayoutEffect(() => {
      if (!suggest.open) return undefined;
      placeDropdown();
      window.addEventListener('resize', placeDropdown);
      window.addEventListener('scroll', placeDropdown, true);
      return () => {
        window.removeEventListener('resize', placeDropdown);
        window.removeEventListener('scroll', placeDropdown, true);
      };
    }, [suggest.open]);

    const onKeywordChange = (e) => {
      const kw = e.target.value;
      setKeyword(kw);
      clearTimeout(debounce.current);
      if (!kw.trim()) {
        searchSeq.current++;
        setSuggest({ open: false, loading: false, list: [], forKeyword: '' });
        return;
      }
      setSuggest((s) => ({ ...s, open: true, loading: true }));
      debounce.current = setTimeout(() => runSearch(kw.trim()), 250);
    };
    const closeSuggest = () => {
      searchSeq.current++;
      clearTimeout(debounce.current);
      setSuggest({ open: false, loading: false, list: [], forKeyword: '' });
      setActive(-1);
    };
    const addGoods = (g) => {
      setLines((ls) => {
        const i = ls.findIndex((l) => l.barcode === g.barcode);
        if (i >= 0) {
          const l = ls[i];
          const q = /^\d+$/.test(l.qtyText) ? Math.min(999, Number(l.qtyText) + 1) : 1;
          return ls.map((x, j) => (j === i ? { ...x, qtyText: String(q) } : x));
        }
        return [...ls, { key: 'l' + ++lineKeySeq, barcode: g.barcode, name: g.name, spec: g.spec, unit: g.unit, listFen: g.priceFen, qtyText: '1', priceText: fenToYuan(g.priceFen) }];
      });
      setKeyword('');
      closeSuggest();
      if (searchRef.current) searchRef.current.focus();
    };
    const onKeywordKeyDown = async (e) => {
      if (e.key === 'ArrowDown' && suggest.list.length) {
        e.preventDefault();
        setActive((a) => (a + 1) % suggest.list.length);
      } else if (e.key === 'ArrowUp' && suggest.list.length) {
        e.preventDefault();
        setActive((a) => (a <= 0 ? suggest.list.length - 1 : a - 1));
      } else if (e.key === 'Escape') {
        closeSuggest();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        const kw = keyword.trim();
        if (!kw) return;
        // Settled list for this keyword: Enter picks the highlighted option.
        if (!suggest.loading && suggest.forKeyword === kw && suggest.list.length) {
          const pick = suggest.list[active] || suggest.list.find((g) => g.barcode === kw);
          if (pick) addGoods(pick);
          return;
        }
        // A scanner is faster than the debounce: search now; add an exact barcode or a single hit.
        clearTimeout(debounce.current);
        const list = await runSearch(kw);
        if (!list) return;
        const exact = list.find((g) => g.barcode === kw) || (list.length === 1 ? list[0] : null);
        if (exact) addGoods(exact);
      }
    };

    // ---- lines
    const patchLine = (key, patch) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));
    const step = (l, d) => {
      const q = /^\d+$/.test(l.qtyText) ? Number(l.qtyText) : 1;
      patchLine(l.key, { qtyText: String(Math.max(1, Math.min(999, q + d))) });
    };
    const onQtyChange = (l, v) => patchLine(l.key, { qtyText: v.replace(/\D/g, '').slice(0, 3) });
    const onQtyBlur = (l) => {
      const q = Number(l.qtyText);
      if (!/^\d+$/.test(l.qtyText) || q < 1) patchLine(l.key, { qtyText: '1' });
      else patchLine(l.key, { qtyText: String(q) });
    };
    const onPriceChange = (l, v) => {
      if (MONEY_TYPING.test(v)) patchLine(l.key, { priceText: v });
    };
    const onPriceBlur = (l) => {
      const fen = parseYuan(l.priceText);
      if (fen !== null) patchLine(l.key, { priceText: fenToYuan(fen) });
    };
    const removeLine = (l) => setLines((ls) => ls.filter((x) => x.key !== l.key));

    // ---- verify + pay
    const openVerify = () => {
      if (!canNext) return;
      setVerify(emptyVerify);
      setDialog('verify');
    };
    const closeVerify = () => {
      if (paying) return;
      setDialog(null);
    };
    const pay = async () => {
      if (paying) return;
      const v = verify;
      let credential;
      if (v.type === 'idcard') {
        if (!v.idNo.trim()) return setVerify({ ...v, error: '请输入身份证号' });
        if (!/^\d{6}$/.test(v.password)) return setVerify({ ...v, error: '请顾客输入6位支付密码' });
        credential = { type: 'idcard', idNo: v.idNo.trim(), password: v.password };
      } else {
        if (!v.code.trim()) return setVerify({ ...v, error: '请扫描顾客出示的二维码' });
        credential = { type: v.type, code: v.code.trim() };
      }
      setVerify({ ...v, error: '' });
      setPaying(true);
      const body = amountMode
        ? { mode: 'amount', amountFen: totalFen, storeOrderNo: storeOrderNo.trim(), credential }
        : { mode: 'goods', lines: computed.map((l) => ({ barcode: l.barcode, qty: l.qty, unitFen: l.unitFen })), storeOrderNo: storeOrderNo.trim(), credential };
      let next;
      try {
        const order = await api('/api/v1/trade/pay', { method: 'POST', body });
        next = order.status === 'paid' ? { ok: true, order } : { ok: false, order, reason: order.failReason || '支付失败' };
      } catch (e) {
        if (e.code === 401) return;
        next = { ok: false, reason: e.message };
      }
      setPaying(false);
      setResult(next);
      setDialog('result');
    };
    const finishResult = () => {
      if (result && result.ok) {
        setLines([]);
        setAmountText('');
        setStoreOrderNo('');
        setKeyword('');
      }
      setDialog(null);
      setResult(null);
      setTimeout(() => searchRef.current && searchRef.current.focus(), 0);
    };

    // ---- render
    const dropdown =
      suggest.open && anchor
        ? createPortal(
            html`<div className=${cx('bm-select-dropdown', cashierCls.dropdown)}
              style=${{ top: anchor.top, left: anchor.left, width: anchor.width }}
              onMouseDown=${(e) => e.preventDefault()}>
              ${suggest.loading
                ? html`<div className=${cx('bm-select-loading', cashierCls.dropdownMsg)}>${T('搜索中…')}</div>`
                : suggest.list.length === 0
                  ? html`<div className=${cx('bm-select-empty', cashierCls.dropdownMsg)}>${T('未找到相关商品')}</div>`
                  : html`<ul role="listbox" id="bm-goods-listbox" aria-label="商品" className=${cx('bm-select-listbox', cashierCls.listbox)}>
                      ${suggest.list.map(
                        (g, i) => html`<li key=${g.barcode} id=${'bm-goods-option-' + g.barcode} role="option" aria-selected=${i === active}
                          className=${cx('bm-select-option', cashierCls.option, i === active && 'bm-select-option-active', i === active && cashierCls.optionActive)}
                          onMouseEnter=${() => setActive(i)} onClick=${() => addGoods(g)}>
                          <div className=${cx('bm-option-name', cashierCls.optionName)}>${g.name}</div>
                          <div className=${cx('bm-option-meta', cashierCls.optionMeta)}><span>${g.spec}/${g.unit}</span><span className="bm-option-barcode">${g.barcode}</span></div>
                          <div className=${cx('bm-option-price', cashierCls.optionPrice)}>${yuan(g.priceFen)}</div>
                        </li>`,
                      )}
                    </ul>`}
            </div>`,
            document.body,
          )
        : null;

    const goodsSection = html`<div className="bm-goods">
      <div className=${cashierCls.searchWrap}>
        <input ref=${searchRef} className=${cx('bm-input', 'bm-goods-search', S.input, S.inputLg)}
          role="combobox" aria-expanded=${suggest.open} aria-controls="bm-goods-listbox" aria-autocomplete="list"
          aria-activedescendant=${suggest.open && active >= 0 && suggest.list[active] ? 'bm-goods-option-' + suggest.list[active].barcode : undefined}
          placeholder=${T('商品名称 / 条码')} value=${keyword} autoFocus
          onChange=${onKeywordChange} onKeyDown=${onKeywordKeyDown}
          onFocus=${() => keyword.trim() && !suggest.open && runSearch(keyword.trim())}
          onBlur=${() => setTimeout(closeSuggest, 120)} />
      </div>
      <table className=${cx('bm-table', cashierCls.table)}>
        <thead><tr>
          <th>${T('商品名称')}</th><th>${T('条码')}</th><th style=${{ width: 130 }}>${T('数量')}</th>
          <th style=${{ width: 120 }}>${T('单价（元）')}</th><th style=${{ width: 100 }}>${T('小计（元）')}</th><th style=${{ width: 64 }}>${T('操作')}</th>
        </tr></thead>
        <tbody>
          ${computed.length === 0
            ? html`<tr className="bm-table-empty"><td colSpan="6" className=${cashierCls.empty}>${T('暂无商品，请搜索添加')}</td></tr>`
            : computed.map(
                (l) => html`<tr key=${l.key} data-row-key=${l.barcode} className="bm-table-row">
                  <td><div className=${cx('bm-goods-name', cashierCls.goodsName)}>${l.name}</div><div className=${cashierCls.goodsSpec}>${l.spec}/${l.unit}</div></td>
                  <td className="bm-goods-barcode">${l.barcode}</td>
                  <td>
                    <div className=${cx('bm-stepper', cashierCls.stepper)}>
                      <button type="button" className="bm-stepper-minus" aria-label=${T('减少数量')} disabled=${l.qty !== null && l.qty <= 1} onClick=${() => step(l, -1)}>−</button>
                      <input className="bm-stepper-input" aria-label=${T('数量')} inputMode="numeric" value=${l.qtyText}
                        onChange=${(e) => onQtyChange(l, e.target.value)} onBlur=${() => onQtyBlur(l)} />
                      <button type="button" className="bm-stepper-plus" aria-label=${T('增加数量')} disabled=${l.qty !== null && l.qty >= 999} onClick=${() => step(l, 1)}>+</button>
                    </div>
                  </td>
                  <td><input className=${cx('bm-input', 'bm-price-input', S.input, cashierCls.price)} aria-label=${T('单价')} inputMode="decimal"
                    value=${l.priceText} onChange=${(e) => onPriceChange(l, e.target.value)} onBlur=${() => onPriceBlur(l)} /></td>
                  <td className="bm-subtotal">${l.subtotalFen === null ? '—' : fenToYuan(l.subtotalFen)}</td>
                  <td><button type="button" className=${cx('bm-btn-link', S.btnLink, S.linkDanger)} onClick=${() => removeLine(l)}>${T('删除')}</button></td>
                </tr>`,
              )}
        </tbody>
      </table>
    </div>`;

    const amountSection = html`<div className=${cx('bm-form-item', 'bm-amount-item', S.formItem)}>
      <label className=${cx('bm-form-label', S.formLabel)}>${T('收款金额')}</label>
      <div className=${cashierCls.amountRow}>
        <input className=${cx('bm-input', 'bm-amount-input', S.input)} inputMode="decimal" placeholder="0.00" value=${amountText}
          onChange=${(e) => MONEY_TYPING.test(e.target.value) && setAmountText(e.target.value)}
          onBlur=${() => amountFen !== null && amountText !== '' && setAmountText(fenToYuan(amountFen))} />
        <span>元</span>
      </div>
    </div>`;

    const verifyDialog =
      dialog === 'verify'
        ? html`<${Modal} title=${T('顾客验证')} onClose=${closeVerify} closable=${!paying} width=${480} className="bm-verify-modal"
            footer=${html`
              <${Button} className="bm-verify-cancel" onClick=${closeVerify} disabled=${paying}>${T('取消')}<//>
              <${Button} type="primary" className="bm-verify-submit" onClick=${pay} loading=${paying} disabled=${paying}>
                ${paying ? T('支付中…') : T('确认支付')}
              <//>`}>
            <${VerifyBody} verify=${verify} setVerify=${setVerify} totalFen=${totalFen} paying=${paying} />
          <//>`
        : null;

    const resultDialog = dialog === 'result' && result ? html`<${ResultModal} result=${result} onDone=${finishResult} />` : null;

    return html`<div className=${cx('bm-cashier', cashierCls.grid)}>
      <section className=${cx('bm-card', S.card)}>
        <div className=${cashierCls.sectionTitle}>
          <span>${T('收银')}</span>
          <span className=${cx('bm-clock', cashierCls.clock)}>${bjTime(now)}</span>
        </div>
        <div style=${{ marginBottom: 16 }}>
          <label className=${cx('bm-switch-wrapper', cashierCls.switchRow)}>
            <button type="button" role="switch" aria-checked=${amountMode}
              className=${cx('bm-switch', amountMode && 'bm-switch-checked', cashierCls.switchBtn, amountMode && cashierCls.switchOn)}
              onClick=${() => setAmountMode((m) => !m)}>
              <span className="bm-switch-handle"></span>
            </button>
            <span>${T('直接输入金额')}</span>
          </label>
        </div>
        ${amountMode ? amountSection : goodsSection}
      </section>
      <aside className=${cx('bm-card', 'bm-summary', S.card)}>
        <div className=${cx('bm-form-item', S.formItem)}>
          <div className=${cx('bm-form-label', S.formLabel)}>${T('门店订单号')}</div>
          <input className=${cx('bm-input', 'bm-store-order-no', S.input)} aria-label=${T('门店订单号')} placeholder=${T('选填，用于对账')}
            maxLength="40" value=${storeOrderNo} onChange=${(e) => setStoreOrderNo(e.target.value)} />
        </div>
        <div className=${cashierCls.summaryRow}><span>${T('商品数')}</span><span className="bm-summary-count">${amountMode ? '—' : computed.reduce((s, l) => s + (l.qty || 0), 0)}</span></div>
        <div className=${cashierCls.summaryRow}>
          <span>${T('合计')}</span>
          <span className=${cx('bm-total', cashierCls.total)}>${totalFen === null ? '¥0.00' : yuan(totalFen)}</span>
        </div>
        <div style=${{ marginTop: 18 }}>
          <${Button} type="primary" size="large" block className="bm-next" disabled=${!canNext} onClick=${openVerify}>${T('下一步：验证顾客')}<//>
        </div>
      </aside>
      ${dropdown}${verifyDialog}${resultDialog}
    </div>`;
  }

  const verifyCls = {
    amount: css`display:flex;align-items:baseline;justify-content:center;gap:10px;margin:4px 0 18px;color:#4e5561;
      & strong{font-size:30px;color:${C.danger};font-variant-numeric:tabular-nums}`,
    tabs: css`display:flex;background:#f2f3f5;border-radius:10px;padding:3px;margin-bottom:18px`,
    tab: css`flex:1;height:34px;border:none;background:transparent;border-radius:8px;cursor:pointer;font-size:14px;color:#4e5561;
      &:hover{color:#1f2329}
      &:disabled{cursor:not-allowed}`,
    tabActive: css`background:#fff;color:${C.primary};font-weight:600;box-shadow:0 1px 3px rgba(0,0,0,.1)`,
    scanBox: css`display:flex;align-items:center;gap:12px;border:1px dashed #b9d3f5;background:#f5f9ff;border-radius:10px;padding:12px 14px;margin-bottom:12px;color:#4e5561;font-size:13px;
      & svg{flex:none}`,
    hint: css`color:${C.muted};font-size:12px;margin-top:6px`,
  };
  const QrIcon = () => html`<svg width="34" height="34" viewBox="0 0 24 24" fill="none" stroke=${C.primary} strokeWidth="1.6" aria-hidden="true">
    <rect x="3" y="3" width="7" height="7" rx="1"></rect><rect x="14" y="3" width="7" height="7" rx="1"></rect>
    <rect x="3" y="14" width="7" height="7" rx="1"></rect><path d="M14 14h3v3h-3zM18 18h3v3h-3zM14 20h2M20 14h1"></path></svg>`;

  function VerifyBody({ verify, setVerify, totalFen, paying }) {
    const v = verify;
    const set = (patch) => setVerify((old) => ({ ...old, ...patch, error: '' }));
    const spec = CRED_TYPES.find((c) => c.type === v.type);
    return html`<div className="bm-verify">
      <div className=${cx('bm-pay-amount', verifyCls.amount)}><span>${T('应收金额')}</span><strong>${yuan(totalFen || 0)}</strong></div>
      <div role="tablist" aria-label=${T('验证方式')} className=${cx('bm-segmented', verifyCls.tabs)}>
        ${CRED_TYPES.map(
          (c) => html`<button key=${c.type} type="button" role="tab" aria-selected=${c.type === v.type} disabled=${paying}
            className=${cx('bm-segmented-item', c.type === v.type && 'bm-segmented-item-selected', verifyCls.tab, c.type === v.type && verifyCls.tabActive)}
            onClick=${() => c.type !== v.type && setVerify({ ...emptyVerify, type: c.type })}>${T(c.label)}</button>`,
        )}
      </div>
      <div role="tabpanel" className="bm-verify-panel">
        ${v.type === 'idcard'
          ? html`<div>
              <div className=${cx('bm-form-item', S.formItem)}>
                <label className=${cx('bm-form-label', S.formLabel)}>${T('身份证号')}</label>
                <input className=${cx('bm-input', 'bm-idcard-input', S.input, S.inputLg)} placeholder=${T('请输入或刷身份证号')} maxLength="18"
                  autoFocus disabled=${paying} value=${v.idNo} onChange=${(e) => set({ idNo: e.target.value.toUpperCase().replace(/[^0-9X]/g, '') })} />
              </div>
              <div className=${cx('bm-form-item', S.formItem)}>
                <input type="password" className=${cx('bm-input', 'bm-paypwd-input', S.input, S.inputLg)} aria-label=${T('顾客支付密码')}
                  placeholder=${T('请顾客输入6位支付密码')} maxLength="6" inputMode="numeric" autoComplete="new-password" disabled=${paying}
                  value=${v.password} onChange=${(e) => set({ password: e.target.value.replace(/\D/g, '') })} />
              </div>
            </div>`
          : html`<div>
              <div className=${cx('bm-scan-box', verifyCls.scanBox)}><${QrIcon} /><span>${spec.tip}</span></div>
              <input key=${v.type} className=${cx('bm-input', 'bm-qrcode-input', S.input, S.inputLg)} placeholder=${T('请扫描顾客出示的二维码')}
                autoFocus disabled=${paying} value=${v.code} onChange=${(e) => set({ code: e.target.value })}
                onKeyDown=${(e) => e.key === 'Enter' && e.preventDefault()} />
              <div className=${verifyCls.hint}>${T('使用扫码枪扫描，或手动输入二维码下方的号码')}</div>
            </div>`}
      </div>
      <div className=${cx('bm-form-error', S.formError)} style=${{ marginTop: 10 }} role=${v.error ? 'alert' : undefined}>${v.error}</div>
    </div>`;
  }

  const resultCls = {
    icon: css`width:56px;height:56px;border-radius:50%;display:flex;align-items:center;justify-content:center;margin:0 auto 10px;font-size:30px;color:#fff`,
    amount: css`text-align:center;font-size:28px;font-weight:700;margin-bottom:14px;font-variant-numeric:tabular-nums`,
    desc: css`margin:0;border:1px solid #eceef2;border-radius:10px;overflow:hidden;
      & .bm-descriptions-item{display:flex;border-bottom:1px solid #f0f1f4}
      & .bm-descriptions-item:last-child{border-bottom:none}
      & dt{width:110px;flex:none;background:#f7f8fa;color:#4e5561;padding:9px 12px;font-size:13px}
      & dd{margin:0;padding:9px 12px;font-variant-numeric:tabular-nums;word-break:break-all}`,
    reason: css`background:#fff4f4;border:1px solid #ffd6d7;color:#b42318;padding:12px 14px;border-radius:10px;line-height:1.6`,
  };
  function ResultModal({ result, onDone }) {
    if (result.ok) {
      const o = result.order;
      const rows = [
        ['交易单号', o.vendorOrderNo],
        ['门店订单号', o.storeOrderNo || '—'],
        ['订单金额', yuan(o.amountFen)],
        ['卡付金额', yuan(o.cardFen)],
        ['现金', yuan(o.cashFen)],
        ['支付时间', fmtIso(o.paidAt)],
        ['支付方式', credLabel(o.credential.type)],
        [o.credential.type === 'idcard' ? '证件号' : '卡号', o.credential.masked],
      ];
      return html`<${Modal} title=${T('支付成功')} onClose=${onDone} width=${440} className="bm-result-modal bm-result-success"
        footer=${html`<${Button} type="primary" className="bm-result-done" onClick=${onDone}>${T('完成')}<//>`}>
        <div className=${cx('bm-result-icon', resultCls.icon)} style=${{ background: C.success }} aria-hidden="true">✓</div>
        <div className=${cx('bm-result-amount', resultCls.amount)}>${yuan(o.amountFen)}</div>
        <dl className=${cx('bm-descriptions', resultCls.desc)}>
          ${rows.map(
            ([k, val]) => html`<div key=${k} className="bm-descriptions-item">
              <dt className="bm-descriptions-label">${T(k)}</dt><dd className="bm-descriptions-content">${val}</dd>
            </div>`,
          )}
        </dl>
      <//>`;
    }
    return html`<${Modal} title=${T('支付失败')} onClose=${onDone} width=${420} className="bm-result-modal bm-result-error"
      footer=${html`<${Button} type="primary" className="bm-result-close" onClick=${onDone}>${T('关闭')}<//>`}>
      <div className=${cx('bm-result-icon', resultCls.icon)} style=${{ background: C.danger }} aria-hidden="true">!</div>
      <div className=${cx('bm-result-reason', resultCls.reason)}>${T('失败原因')}：${result.reason}</div>
    <//>`;
  }

  // ------------------------------------------------------------------ orders
  const ordersCls = {
    toolbar: css`display:flex;gap:10px;margin-bottom:16px; & input{max-width:280px}`,
    tag: css`display:inline-block;padding:1px 8px;border-radius:4px;font-size:12px;border:1px solid`,
  };
  const STATUS = {
    paid: { text: '已支付', color: C.success, bg: '#edf7f0' },
    refunded: { text: '已撤销', color: '#6b7280', bg: '#f3f4f6' },
    failed: { text: '支付失败', color: C.danger, bg: '#fff1f0' },
  };
  function OrdersPage() {
    const [kw, setKw] = useState('');
    const [list, setList] = useState(null);
    const [loading, setLoading] = useState(false);
    const [confirm, setConfirm] = useState(null); // order being revoked
    const [revoking, setRevoking] = useState(false);
    const loadSeq = useRef(0);

    const load = useCallback(async (keyword) => {
      const my = ++loadSeq.current;
      setLoading(true);
      try {
        const data = await api('/api/v1/trade/list?kw=' + encodeURIComponent(keyword || ''));
        if (my === loadSeq.current) setList(data.list);
      } catch (e) {
        if (e.code !== 401) toast.error(e.message);
      } finally {
        if (my === loadSeq.current) setLoading(false);
      }
    }, []);
    useEffect(() => {
      load('');
    }, [load]);

    Object.assign(snapshot, {
      page: 'orders',
      ordersLoading: loading,
      orders: (list || []).map((o) => ({ vendorOrderNo: o.vendorOrderNo, status: o.status })),
      dialog: confirm ? 'revoke' : null,
      revoking,
    });

    const doRevoke = async () => {
      if (!confirm || revoking) return;
      setRevoking(true);
      try {
        await api('/api/v1/trade/revoke', { method: 'POST', body: { vendorOrderNo: confirm.vendorOrderNo } });
        toast.success(T('撤销成功'));
        setConfirm(null);
        load(kw.trim());
      } catch (e) {
        if (e.code !== 401) toast.error(e.message);
      } finally {
        setRevoking(false);
      }
    };

    return html`<section className=${cx('bm-card', 'bm-orders', S.card)}>
      <div className=${cashierCls.sectionTitle}><span>${T('交易记录')}</span></div>
      <div className=${ordersCls.toolbar}>
        <input className=${cx('bm-input', S.input)} placeholder=${T('交易单号 / 门店订单号')} value=${kw}
          onChange=${(e) => setKw(e.target.value)} onKeyDown=${(e) => e.key === 'Enter' && load(kw.trim())} />
        <${Button} type="primary" onClick=${() => load(kw.trim())}>${T('查询')}<//>
        <${Button} onClick=${() => { setKw(''); load(''); }}>${T('重置')}<//>
      </div>
      <table className=${cx('bm-table', 'bm-orders-table', cashierCls.table)} aria-busy=${loading}>
        <thead><tr>
          <th>${T('交易单号')}</th><th>${T('门店订单号')}</th><th>${T('金额')}</th><th>${T('状态')}</th><th>${T('时间')}</th><th>${T('操作')}</th>
        </tr></thead>
        <tbody>
          ${list === null
            ? html`<tr className="bm-table-loading"><td colSpan="6" className=${cashierCls.empty}>${T('加载中…')}</td></tr>`
            : list.length === 0
              ? html`<tr className="bm-table-empty"><td colSpan="6" className=${cashierCls.empty}>${T('暂无数据')}</td></tr>`
              : list.map((o) => {
                  const st = STATUS[o.status] || { text: o.status, color: C.muted, bg: '#fff' };
                  return html`<tr key=${o.vendorOrderNo} data-row-key=${o.vendorOrderNo} className="bm-table-row">
                    <td className="bm-col-no">${o.vendorOrderNo}</td>
                    <td>${o.storeOrderNo || '—'}</td>
                    <td>${yuan(o.amountFen)}</td>
                    <td><span className=${cx('bm-tag', 'bm-tag-' + o.status, ordersCls.tag)} style=${{ color: st.color, background: st.bg, borderColor: st.color }}>${T(st.text)}</span></td>
                    <td>${fmtIso(o.paidAt)}</td>
                    <td>${o.status === 'paid'
                      ? html`<button type="button" className=${cx('bm-btn-link', S.btnLink, S.linkDanger)} onClick=${() => setConfirm(o)}>${T('撤销')}</button>`
                      : null}</td>
                  </tr>`;
                })}
        </tbody>
      </table>
      ${confirm
        ? html`<${Modal} title=${T('撤销交易')} onClose=${() => !revoking && setConfirm(null)} closable=${!revoking} width=${420} className="bm-confirm-modal"
            footer=${html`
              <${Button} onClick=${() => setConfirm(null)} disabled=${revoking}>${T('取消')}<//>
              <${Button} type="danger" onClick=${doRevoke} loading=${revoking} disabled=${revoking}>${revoking ? T('撤销中…') : T('确定撤销')}<//>`}>
            <p style=${{ margin: '4px 0 8px', lineHeight: 1.7 }}>
              确定撤销交易 <strong className="bm-confirm-no">${confirm.vendorOrderNo}</strong> 吗？撤销后 ${yuan(confirm.amountFen)} 将原路退回顾客账户。
            </p>
          <//>`
        : null}
    </section>`;
  }

  // ------------------------------------------------------------------ app
  function App() {
    const path = usePath();
    const loggedIn = !!session.token;
    let target = null;
    if (path === '/' || path === '') target = loggedIn ? '/cashier' : '/login';
    else if (path === '/login' && loggedIn) target = '/cashier';
    else if (path !== '/login' && !loggedIn) target = '/login';
    else if (!['/login', '/cashier', '/orders'].includes(path)) target = '/cashier';
    useEffect(() => {
      if (target) navigate(target, true);
    }, [target]);
    const profile = session.profile;
    // Fresh per App render (route changes); the page components below add their own keys.
    for (const k of Object.keys(snapshot)) if (k !== 'lastResult') delete snapshot[k];
    Object.assign(snapshot, { route: path, loggedIn, account: profile ? profile.account : null, storeName: profile ? profile.storeName : null });
    if (target) return null;
    const page =
      path === '/login'
        ? html`<${LoginPage} />`
        : html`<${Layout} path=${path}>${path === '/orders' ? html`<${OrdersPage} />` : html`<${CashierPage} />`}<//>`;
    return html`<${React.Fragment}>${page}<${Toaster} /><//>`;
  }

  ReactDOM.createRoot(document.getElementById('root')).render(html`<${App} />`);
})();
