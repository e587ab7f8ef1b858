// Every string the user sees, one dictionary per language. Russian is the
// default; the English switch is remembered in localStorage.
import { signalLike } from './store';

const ru = {
  appTitle: 'Единая горячая линия',
  login: 'Логин', password: 'Пароль', signIn: 'Войти', next: 'Далее', back: 'Назад',
  totpCode: 'Код из приложения-аутентификатора', recoveryCode: 'или резервный код',
  totpHint: 'Введите шестизначный код второго фактора.',
  signOut: 'Выйти', language: 'English',
  navDesktop: 'Рабочее место', navCases: 'Обращения', navWallboard: 'Табло', navAdmin: 'Администрирование',
  navAccount: 'Учётная запись', navStatus: 'Статус линии', navReports: 'Отчёты',
  forbidden: 'Раздел недоступен для вашей роли.',
  notFound: 'Страница не найдена.',
  // operator state
  myState: 'Моё состояние', stateReady: 'Готов', stateNotReady: 'Не готов', stateWrapUp: 'Постобработка', stateHoldWrapUp: 'Продлить постобработку',
  stateOnCall: 'Разговор', stateRinging: 'Вызов', stateLoggedOut: 'Не в системе', stateLoggedIn: 'В системе',
  reason: 'Причина', reasonBreak: 'Перерыв', reasonLunch: 'Обед', reasonTraining: 'Обучение',
  reasonMeeting: 'Совещание', reasonOther: 'Другое',
  currentState: 'Текущее состояние', since: 'с', stateUnknown: 'неизвестно',
  centreMissing: 'Сервис операторов недоступен на этом сервере',
  // screen pop
  incomingCall: 'Входящий вызов', noCall: 'Нет активного вызова', caller: 'Абонент', region: 'Регион',
  ivrPath: 'Путь в IVR', topic: 'Тема', agency: 'Ведомство', earlierCases: 'Прежние обращения',
  none: 'нет', recording: 'Запись разговора', play: 'Прослушать',
  transfer: 'Перевод', transferTo: 'Очередь или оператор', doTransfer: 'Перевести',
  transferred: 'Вызов переведён',
  // case
  caseForm: 'Обращение', newCase: 'Новое обращение', phone: 'Телефон', summary: 'Суть обращения',
  notes: 'Заметка', addNote: 'Добавить заметку', status: 'Статус', reasonForChange: 'Комментарий к смене статуса',
  changeStatus: 'Сменить статус', escalate: 'Эскалировать', dueAt: 'Срок ответа', save: 'Сохранить',
  create: 'Создать', saved: 'Сохранено', caseNumber: 'Номер', created: 'Создано', channel: 'Канал',
  priority: 'Приоритет', history: 'История', openCase: 'Открыть',
  search: 'Найти', searchPhone: 'Телефон абонента', anyStatus: 'любой', noCases: 'Обращений не найдено',
  more: 'Ещё',
  st_new: 'новое', st_in_progress: 'в работе', st_escalated: 'эскалировано',
  st_waiting_citizen: 'ждём гражданина', st_resolved: 'решено', st_closed: 'закрыто',
  // wallboard
  wallboard: 'Табло супервизора', queue: 'Очередь', waiting: 'Ожидают', longestWait: 'Макс. ожидание',
  estimatedWait: 'Ожид. время', serviceLevel15: 'SL 15 мин', serviceLevelToday: 'SL сегодня',
  abandoned: 'Потеряно', offered: 'Поступило', answered: 'Отвечено', operatorsByState: 'Операторы по состояниям',
  operator: 'Оператор', state: 'Состояние', timeInState: 'Время в состоянии', alarms: 'Тревоги',
  noAlarms: 'Тревог нет', corrective: 'Корректирующие действия', noCorrective: 'Не действуют', correctiveSince: 'с', chartTitle: 'Ожидающие вызовы (последние минуты)', live: 'онлайн', polling: 'опрос',
  queuesMissing: 'Данные очередей недоступны на этом сервере',
  // admin
  users: 'Пользователи', role: 'Роль', addUser: 'Добавить пользователя', resetTotp: 'Сбросить TOTP',
  usersMissing: 'На сервере нет API для управления пользователями; используйте команды `gosline user add`, `gosline user totp-reset`.',
  queues: 'Очереди', skills: 'Навыки', ivr: 'Меню IVR', apiRoutes: 'Доступные маршруты API',
  notOnServer: 'На сервере нет маршрута',
  // admin: staff accounts (admin_users.tsx)
  uaOneTimeTitle: 'Показывается один раз', uaOneTimeHint: 'Передайте это сотруднику лично; после закрытия увидеть снова нельзя.',
  uaTotpSecret: 'Секрет TOTP', uaTemporaryPassword: 'Временный пароль', uaRecoveryCodes: 'Резервные коды',
  uaHandedOver: 'Передано, скрыть', uaDisplayName: 'Имя', uaPasswordOptional: 'Пароль (пусто — временный)',
  uaConfirmDisable: 'Заблокировать учётную запись', uaConfirmEnable: 'Разблокировать учётную запись',
  uaConfirmTotpReset: 'Сбросить второй фактор (старые коды перестанут работать) для',
  uaConfirmPasswordReset: 'Выдать новый временный пароль для', uaConfirmRole: 'Сменить роль',
  uaYes: 'Да', uaCancel: 'Отмена', uaChangeSaved: 'Изменено', uaUnlocked: 'Блокировка входа снята',
  uaAccountState: 'Состояние', uaSecondFactor: '2FA', uaFailedLogins: 'Неудачных входов',
  uaDisabledState: 'заблокирован', uaActiveState: 'активен', uaLockedState: 'вход временно закрыт',
  uaResetPassword: 'Сбросить пароль', uaEnable: 'Включить', uaDisable: 'Заблокировать', uaUnlock: 'Снять блокировку входа',
  uaUserCreated: 'Пользователь создан',
  uaRole_operator: 'оператор', uaRole_supervisor: 'супервизор', uaRole_administrator: 'администратор',
  uaRole_security_administrator: 'администратор безопасности', uaRole_compliance_controller: 'контролёр',
  // account
  account: 'Учётная запись', enrolTotp: 'Подключить новое приложение-аутентификатор',
  enrolHint: 'Отсканируйте QR-код или введите URI в приложении, затем подтвердите кодом из него.',
  confirm: 'Подтвердить', totpConfirmed: 'Новый второй фактор подключён', sessionUntil: 'Сессия до',
  // public status
  lineStatus: 'Статус горячей линии', lineOpen: 'Линия работает', lineClosed: 'Линия закрыта',
  waitPerTopic: 'Ожидаемое время ожидания по темам', hours: 'Часы работы',
  solvedByPhone: 'Вопросы, которые решаются по телефону', minutes: 'мин', seconds: 'с',
  updated: 'Обновлено', statusUnavailable: 'Статус временно недоступен',
  nextOpen: 'Откроется', numbers: 'Номера линии', open: 'открыто', closed: 'закрыто', around: 'круглосуточно',
  dayOff: 'выходной', holidaysOpen: 'в праздники работает', holidaysClosed: 'в праздники не работает',
  days: 'пн,вт,ср,чт,пт,сб,вс',
  loading: 'Загрузка…', error: 'Ошибка',
  // knowledge base (knowledge.tsx)
  kbTitle: 'База знаний', kbSearch: 'Поиск по базе знаний', kbPlaceholder: 'например: восстановить пароль',
  kbAllTopics: 'все темы', kbNothing: 'Ничего не найдено', kbBack: '← К результатам',
  kbUnavailable: 'База знаний недоступна на этом сервере',
  // configuration editor (admin_config.tsx)
  cfgTitle: 'Конфигурация линии',
  cfgHint: 'Изменения проверяются так же, как gosline check-config, и применяются без перезапуска. Каждое изменение записывается в журнал аудита.',
  cfgArea_numbers: 'Номера', cfgArea_hours: 'Часы работы', cfgArea_holidays: 'Праздники',
  cfgArea_queues: 'Очереди', cfgArea_skills: 'Навыки операторов', cfgArea_overflow: 'Переполнение', cfgArea_corrective_actions: 'Корректирующие действия',
  cfgArea_ivr: 'Голосовое меню (IVR)', cfgArea_block_list: 'Блок-лист', cfgEdit: 'Изменить',
  cfgEditYaml: 'Править как YAML', cfgCancel: 'Отмена', cfgCheck: 'Проверить', cfgSave: 'Сохранить',
  cfgValid: 'Ошибок нет', cfgNoChange: 'Без изменений', cfgSaved: 'Сохранено и применено',
  cfgConflict: 'Конфигурацию уже изменил кто-то другой. Перезагрузите и повторите правку.',
  cfgReload: 'Перезагрузить', cfgLineInText: 'строка текста', cfgLineInFile: 'строка файла',
  cfgAdd: 'Добавить', cfgRemove: 'Удалить', cfgNumber: 'Номер', cfgBlocked: 'Заблокированные номера',
  cfgAllowed: 'Без ограничений', cfgDates: 'Праздничные дни', cfgWorkingDays: 'Рабочие выходные',
  cfgDate: 'Дата', cfgId: 'Идентификатор', cfgCentre: 'Центр', cfgHours: 'Часы', cfgName: 'Имя',
  cfgLanguages: 'Языки', cfgSkills: 'Навыки (уровень 1–10)', cfgRegions: 'Регионы', cfgRules: 'Правила',
  cfgOpenOnHolidays: 'Работает в праздники', cfgEmpty: 'Пусто', cfgVersion: 'Версия',
};

export type Key = keyof typeof ru;

const en: Record<Key, string> = {
  appTitle: 'Government services hotline',
  login: 'Login', password: 'Password', signIn: 'Sign in', next: 'Next', back: 'Back',
  totpCode: 'Code from the authenticator app', recoveryCode: 'or a recovery code',
  totpHint: 'Enter the six-digit second-factor code.',
  signOut: 'Sign out', language: 'Русский',
  navDesktop: 'Desktop', navCases: 'Cases', navWallboard: 'Wallboard', navAdmin: 'Administration',
  navAccount: 'Account', navStatus: 'Line status', navReports: 'Reports',
  forbidden: 'This section is not available to your role.',
  notFound: 'Page not found.',
  myState: 'My state', stateReady: 'Ready', stateNotReady: 'Not ready', stateWrapUp: 'Wrap-up', stateHoldWrapUp: 'More wrap-up time',
  stateOnCall: 'On a call', stateRinging: 'Ringing', stateLoggedOut: 'Logged out', stateLoggedIn: 'Logged in',
  reason: 'Reason', reasonBreak: 'Break', reasonLunch: 'Lunch', reasonTraining: 'Training',
  reasonMeeting: 'Meeting', reasonOther: 'Other',
  currentState: 'Current state', since: 'since', stateUnknown: 'unknown',
  centreMissing: 'The operator service is not available on this server',
  incomingCall: 'Incoming call', noCall: 'No active call', caller: 'Caller', region: 'Region',
  ivrPath: 'IVR path', topic: 'Topic', agency: 'Agency', earlierCases: 'Earlier cases',
  none: 'none', recording: 'Call recording', play: 'Play',
  transfer: 'Transfer', transferTo: 'Queue or operator', doTransfer: 'Transfer',
  transferred: 'Call transferred',
  caseForm: 'Case', newCase: 'New case', phone: 'Phone', summary: 'Summary',
  notes: 'Note', addNote: 'Add note', status: 'Status', reasonForChange: 'Reason for the change',
  changeStatus: 'Change status', escalate: 'Escalate', dueAt: 'Reply due', save: 'Save',
  create: 'Create', saved: 'Saved', caseNumber: 'Number', created: 'Created', channel: 'Channel',
  priority: 'Priority', history: 'History', openCase: 'Open',
  search: 'Search', searchPhone: "Caller's phone", anyStatus: 'any', noCases: 'No cases found',
  more: 'More',
  st_new: 'new', st_in_progress: 'in progress', st_escalated: 'escalated',
  st_waiting_citizen: 'waiting for citizen', st_resolved: 'resolved', st_closed: 'closed',
  wallboard: 'Supervisor wallboard', queue: 'Queue', waiting: 'Waiting', longestWait: 'Longest wait',
  estimatedWait: 'Est. wait', serviceLevel15: 'SL 15 min', serviceLevelToday: 'SL today',
  abandoned: 'Abandoned', offered: 'Offered', answered: 'Answered', operatorsByState: 'Operators by state',
  operator: 'Operator', state: 'State', timeInState: 'Time in state', alarms: 'Alarms',
  noAlarms: 'No alarms', corrective: 'Corrective actions', noCorrective: 'None acting', correctiveSince: 'since', chartTitle: 'Calls waiting (last minutes)', live: 'live', polling: 'polling',
  queuesMissing: 'Queue figures are not available on this server',
  users: 'Users', role: 'Role', addUser: 'Add user', resetTotp: 'Reset TOTP',
  usersMissing: 'The server has no user-management API; use `gosline user add` and `gosline user totp-reset`.',
  queues: 'Queues', skills: 'Skills', ivr: 'IVR menus', apiRoutes: 'API routes available',
  notOnServer: 'The server has no route',
  uaOneTimeTitle: 'Shown once', uaOneTimeHint: 'Hand this to the person directly; once hidden it cannot be shown again.',
  uaTotpSecret: 'TOTP secret', uaTemporaryPassword: 'Temporary password', uaRecoveryCodes: 'Recovery codes',
  uaHandedOver: 'Handed over, hide', uaDisplayName: 'Name', uaPasswordOptional: 'Password (empty: a temporary one)',
  uaConfirmDisable: 'Disable the account of', uaConfirmEnable: 'Enable the account of',
  uaConfirmTotpReset: 'Reset the second factor (old codes stop working) of',
  uaConfirmPasswordReset: 'Issue a new temporary password for', uaConfirmRole: 'Change the role of',
  uaYes: 'Yes', uaCancel: 'Cancel', uaChangeSaved: 'Changed', uaUnlocked: 'Login lockout cleared',
  uaAccountState: 'State', uaSecondFactor: '2FA', uaFailedLogins: 'Failed logins',
  uaDisabledState: 'disabled', uaActiveState: 'active', uaLockedState: 'locked out',
  uaResetPassword: 'Reset password', uaEnable: 'Enable', uaDisable: 'Disable', uaUnlock: 'Clear lockout',
  uaUserCreated: 'User created',
  uaRole_operator: 'operator', uaRole_supervisor: 'supervisor', uaRole_administrator: 'administrator',
  uaRole_security_administrator: 'security administrator', uaRole_compliance_controller: 'compliance controller',
  account: 'Account', enrolTotp: 'Enrol a new authenticator app',
  enrolHint: 'Scan the QR code or enter the URI in the app, then confirm with a code from it.',
  confirm: 'Confirm', totpConfirmed: 'The new second factor is active', sessionUntil: 'Session until',
  lineStatus: 'Hotline status', lineOpen: 'The line is open', lineClosed: 'The line is closed',
  waitPerTopic: 'Estimated wait per topic', hours: 'Hours',
  solvedByPhone: 'Questions solved by phone', minutes: 'min', seconds: 's',
  updated: 'Updated', statusUnavailable: 'Status temporarily unavailable',
  nextOpen: 'Opens', numbers: 'Hotline numbers', open: 'open', closed: 'closed', around: '24/7',
  dayOff: 'closed', holidaysOpen: 'open on holidays', holidaysClosed: 'closed on holidays',
  days: 'Mon,Tue,Wed,Thu,Fri,Sat,Sun',
  loading: 'Loading…', error: 'Error',
  kbTitle: 'Knowledge base', kbSearch: 'Search the knowledge base', kbPlaceholder: 'e.g. восстановить пароль',
  kbAllTopics: 'all topics', kbNothing: 'Nothing found', kbBack: '← Back to results',
  kbUnavailable: 'The knowledge base is not available on this server',
  // configuration editor (admin_config.tsx)
  cfgTitle: 'Line configuration',
  cfgHint: 'Changes are checked as gosline check-config checks them and applied without a restart. Every change is recorded in the audit log.',
  cfgArea_numbers: 'Numbers', cfgArea_hours: 'Opening hours', cfgArea_holidays: 'Holidays',
  cfgArea_queues: 'Queues', cfgArea_skills: "Operators' skills", cfgArea_overflow: 'Overflow', cfgArea_corrective_actions: 'Corrective actions',
  cfgArea_ivr: 'Voice menu (IVR)', cfgArea_block_list: 'Block list', cfgEdit: 'Edit',
  cfgEditYaml: 'Edit as YAML', cfgCancel: 'Cancel', cfgCheck: 'Check', cfgSave: 'Save',
  cfgValid: 'No problems found', cfgNoChange: 'Nothing changed', cfgSaved: 'Saved and applied',
  cfgConflict: 'Someone else changed the configuration meanwhile. Reload and make your change again.',
  cfgReload: 'Reload', cfgLineInText: 'text line', cfgLineInFile: 'file line', cfgAdd: 'Add',
  cfgRemove: 'Remove', cfgNumber: 'Number', cfgBlocked: 'Blocked numbers', cfgAllowed: 'Never limited',
  cfgDates: 'Public holidays', cfgWorkingDays: 'Working weekend days', cfgDate: 'Date', cfgId: 'Id',
  cfgCentre: 'Centre', cfgHours: 'Hours', cfgName: 'Name', cfgLanguages: 'Languages',
  cfgSkills: 'Skills (level 1–10)', cfgRegions: 'Regions', cfgRules: 'Rules',
  cfgOpenOnHolidays: 'Open on holidays', cfgEmpty: 'Empty', cfgVersion: 'Version',
};

export type Lang = 'ru' | 'en';
const dictionaries: Record<Lang, Record<Key, string>> = { ru, en };

export const lang = signalLike<Lang>(localStorage.getItem('gosline.lang') === 'en' ? 'en' : 'ru');

export function setLang(l: Lang): void {
  localStorage.setItem('gosline.lang', l);
  document.documentElement.lang = l;
  lang.set(l);
}

export function t(key: Key): string {
  return dictionaries[lang.get()][key];
}

// A case status in the current language ("in_progress" -> "в работе").
export function statusName(s: string): string {
  const key = ('st_' + s) as Key;
  return key in ru ? t(key) : s;
}
